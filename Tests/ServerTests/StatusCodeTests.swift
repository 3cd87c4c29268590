import Foundation
import HTTPTypes
import NIOCore
import Server
import Testing

/// Every status code of API.md provoked at least once, each with its problem+json body checked.
@Suite struct StatusCodeTests {
    static let letter: [String: any Sendable] = [
        "kind": "letter",
        "form": [
            "letterType": "administrative", "persons": [["name": "张瑞雪", "title": "科长", "idNumber": "2301**********2026"]],
            "destination": "黑龙江省科学技术厅", "matter": "联系项目申报事宜", "validDays": 7, "important": false,
        ] as [String: any Sendable],
    ]

    /// Checks `reply` is problem+json with `status` and `code`.
    static func expectProblem(_ reply: Reply, _ status: HTTPResponse.Status, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == status, "\(reply.text)", sourceLocation: sourceLocation)
        #expect(reply.headers[.contentType]?.hasPrefix("application/problem+json") == true, sourceLocation: sourceLocation)
        #expect(reply.code == code, "\(reply.text)", sourceLocation: sourceLocation)
        #expect(reply.json["status"] as? Int == Int(status.code), sourceLocation: sourceLocation)
        #expect((reply.json["detail"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(reply.json["type"] is String && reply.json["title"] is String, sourceLocation: sourceLocation)
    }

    @Test func clientErrorsAreProblemsAndChangeNothing() async throws {
        try await LiveHall.run { hall, store in
            let head = store.log.head.position
            // 400: not JSON at all; a bad query value.
            Self.expectProblem(
                try await hall.call(.post, "/api/applications", as: "20010001", headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: "{\"kind\": ")), .badRequest, "malformed")
            Self.expectProblem(try await hall.call(.get, "/api/catalog/items?page=zero"), .badRequest, "malformed")
            // 401: no login, and a token that is not a session.
            Self.expectProblem(try await hall.call(.get, "/api/tasks"), .unauthorized, "unauthenticated")
            Self.expectProblem(
                try await hall.call(.get, "/api/me", headers: [.authorization: "Bearer not-a-token"]), .unauthorized,
                "unauthenticated")
            // 403: an applicant asks for every application; a non-admin creates a department.
            Self.expectProblem(try await hall.call(.get, "/api/applications?scope=all", as: "20010001"), .forbidden, "forbidden")
            Self.expectProblem(
                try await hall.call(.post, "/api/admin/departments", as: "20010001", json: ["id": "D99", "name": "新部门"]),
                .forbidden, "forbidden")
            // 404: unknown id, unknown route.
            Self.expectProblem(try await hall.call(.get, "/api/applications/A-1999-0001", as: "20010001"), .notFound, "not-found")
            Self.expectProblem(try await hall.call(.get, "/api/nothing-here"), .notFound, "not-found")
            Self.expectProblem(try await hall.call(.get, "/api/applications/A-1/nothing-here", as: "20010001"), .notFound, "not-found")
            // HEAD wherever GET: the same status and headers, no body.
            let get = try await hall.call(.get, "/api/portal/stats")
            let headOnly = try await hall.call(.head, "/api/portal/stats")
            #expect(headOnly.status == .ok && headOnly.body.readableBytes == 0 && get.body.readableBytes > 0)
            #expect(headOnly.headers[.contentType] == get.headers[.contentType])
            // 405: a served path asked with a method it does not answer, with `Allow` naming those it does.
            for (method, path, allowed) in [
                (HTTPRequest.Method.put, "/api/applications", "GET, HEAD, POST"),
                (.delete, "/api/applications/A-1999-0001/decision", "POST"),
                (.trace, "/api/admin/accounts", "POST"),
            ] {
                let reply = try await hall.call(method, path, as: "20010001")
                Self.expectProblem(reply, .methodNotAllowed, "method-not-allowed")
                #expect(reply.headers[.allow] == allowed, "\(method) \(path)")
            }
            // 413: over 1 MiB, refused by its length.
            let big = ByteBuffer(repeating: UInt8(ascii: " "), count: (1 << 20) + 1)
            Self.expectProblem(
                try await hall.call(.post, "/api/applications", as: "20010001", headers: [.contentType: "application/json"], body: big),
                .contentTooLarge, "too-large")
            // 415: not JSON.
            Self.expectProblem(
                try await hall.call(.post, "/api/session", headers: [.contentType: "text/plain"], body: ByteBuffer(string: "x")),
                .unsupportedMediaType, "unsupported-media-type")
            // 422: a wrong type, a missing field, an unknown enum value, a control character, a rule — each naming its field.
            for (body, field) in [
                (["kind": "letter", "form": ["letterType": 7]] as [String: any Sendable], "form.letterType"),
                (["form": [:] as [String: String]], "kind"),
                (["kind": "seal-party", "form": [:] as [String: String]], "kind"),
                (["kind": "letter", "form": ["letterType": "administrative", "persons": [] as [String], "destination": "a\u{7}b", "matter": "x", "validDays": 5, "important": false] as [String: any Sendable]], "form.destination"),
            ] {
                let reply = try await hall.call(.post, "/api/applications", as: "20010001", json: body)
                Self.expectProblem(reply, .unprocessableContent, "validation")
                let errors = reply.json["errors"] as? [[String: any Sendable]]
                #expect(errors?.first?["field"] as? String == field, "\(reply.text)")
            }
            var invalid = Self.letter
            invalid["form"] = ["letterType": "administrative", "persons": [] as [String], "destination": "", "matter": "x", "validDays": 5, "important": false] as [String: any Sendable]
            let rule = try await hall.call(.post, "/api/applications", as: "20010001", json: invalid)
            Self.expectProblem(rule, .unprocessableContent, "validation")
            #expect((rule.json["errors"] as? [[String: any Sendable]])?.isEmpty == false)
            #expect(store.log.head.position == head, "a refused request recorded something")
        }
    }

    @Test func staleVersionIsAConflict() async throws {
        try await LiveHall.run { hall, _ in
            let submitted = try await hall.call(.post, "/api/applications", as: "20010001", json: Self.letter).json
            let id = try #require(submitted["id"] as? String)
            let version = try #require(submitted["version"] as? Int)
            let stale = try await hall.call(
                .post, "/api/applications/\(id)/decision", as: "20010002",
                json: ["decision": "approve", "expectedVersion": version - 1])
            Self.expectProblem(stale, .conflict, "version-conflict")
            // Deciding a step that is not yours: 403 not-your-step (the legal reviewer is not on a letter's route
            // first step, but the office reviewer may read every application).
            let early = try await hall.call(
                .post, "/api/applications/\(id)/decision", as: "20010003",
                json: ["decision": "approve", "expectedVersion": version])
            Self.expectProblem(early, .forbidden, "not-your-step")
        }
    }

    @Test func repeatedFailedLoginsAreThrottled() async throws {
        try await LiveHall.run { hall, _ in
            for _ in 0..<5 {
                Self.expectProblem(
                    try await hall.call(.post, "/api/session", json: ["account": "20010001", "password": "wrong-password"]),
                    .unauthorized, "bad-credentials")
            }
            let blocked = try await hall.call(.post, "/api/session", json: ["account": "20010001", "password": LiveHall.demoPassword])
            Self.expectProblem(blocked, .tooManyRequests, "too-many-attempts")
            #expect(Int(blocked.headers[.retryAfter] ?? "") ?? 0 > 0)
        }
    }

    @Test func closedStorageIsUnavailable() async throws {
        try await LiveHall.run { hall, store in
            _ = try await hall.token(of: "20010001")
            await store.close()
            Self.expectProblem(
                try await hall.call(.post, "/api/applications", as: "20010001", json: Self.letter), .serviceUnavailable,
                "storage-unavailable")
        }
    }
}
