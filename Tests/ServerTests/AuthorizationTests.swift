import Foundation
import HTTPTypes
import Server
import Testing

/// Every command endpoint × every kind of caller, including no login and a department head of another
/// department, each expected status asserted. Who may read what follows `ApplicationAccess`: a caller who may
/// not read an application gets 404 for anything on it, one who may read it but not act gets 403.
@Suite struct AuthorizationTests {
    /// The callers: nil is no login.
    static let callers: [String?] = [
        nil, "20010001", "20010002", "20010012", "20010003", "20010009", "20010010", "20010016", "2021010001",
    ]
    static let names = [
        "anonymous", "applicant", "dept-head D10", "dept-head D08 (wrong scope)", "office", "keeper of S101", "auditor",
        "admin", "student",
    ]

    /// One endpoint: how to prepare a subject for each caller (returns the path), the body, and the expected
    /// status per caller in `callers` order.
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var method: HTTPRequest.Method
        var prepare: @Sendable (HallClient) async throws -> (path: String, body: [String: any Sendable]?)
        var expected: [HTTPResponse.Status]
    }

    static func submitLetter(_ hall: HallClient) async throws -> [String: any Sendable] {
        let reply = try await hall.call(.post, "/api/applications", as: "20010001", json: StatusCodeTests.letter)
        #expect(reply.status == .created)
        return reply.json
    }

    static func approvedLetter(_ hall: HallClient) async throws -> [String: any Sendable] {
        var application = try await submitLetter(hall)
        while application["status"] as? String == "in-review", let decider = (application["candidates"] as? [String])?.first {
            application = try await hall.call(
                .post, "/api/applications/\(application["id"] ?? "")/decision", as: decider,
                json: ["decision": "approve", "expectedVersion": application["version"] as? Int ?? -1]).json
        }
        return application
    }

    static let cases: [Case] = [
        Case(
            description: "submit", method: .post, prepare: { _ in ("/api/applications", StatusCodeTests.letter) },
            expected: [.unauthorized, .created, .created, .created, .created, .created, .created, .created, .forbidden]),
        Case(
            description: "decide", method: .post,
            prepare: { hall in
                let application = try await submitLetter(hall)
                return ("/api/applications/\(application["id"] ?? "")/decision",
                    ["decision": "approve", "expectedVersion": application["version"] as? Int ?? -1])
            },
            expected: [.unauthorized, .forbidden, .ok, .notFound, .forbidden, .notFound, .forbidden, .forbidden, .notFound]),
        Case(
            description: "withdraw", method: .post,
            prepare: { hall in
                let application = try await submitLetter(hall)
                return ("/api/applications/\(application["id"] ?? "")/withdraw", ["expectedVersion": application["version"] as? Int ?? -1])
            },
            expected: [.unauthorized, .ok, .forbidden, .notFound, .forbidden, .notFound, .forbidden, .forbidden, .notFound]),
        Case(
            description: "fulfil", method: .post,
            prepare: { hall in
                let application = try await approvedLetter(hall)
                return ("/api/applications/\(application["id"] ?? "")/fulfil",
                    ["action": "issue", "expectedVersion": application["version"] as? Int ?? -1])
            },
            expected: [.unauthorized, .forbidden, .forbidden, .notFound, .ok, .notFound, .forbidden, .forbidden, .notFound]),
        Case(
            description: "create department", method: .post,
            prepare: { _ in ("/api/admin/departments", ["id": "D\(Int.random(in: 100...999_999))", "name": "新部门"]) },
            expected: [.unauthorized, .forbidden, .forbidden, .forbidden, .forbidden, .forbidden, .forbidden, .created, .forbidden]),
        Case(
            description: "register existing seal", method: .post,
            prepare: { _ in
                ("/api/admin/seals",
                    ["id": "S9\(Int.random(in: 100...999_999))", "name": "测试专用章", "category": "business", "departmentId": "D10",
                        "custodian": "20010009"])
            },
            expected: [.unauthorized, .forbidden, .forbidden, .forbidden, .forbidden, .forbidden, .forbidden, .created, .forbidden]),
        Case(
            description: "report seal lost", method: .post,
            prepare: { hall in
                // A fresh seal in the keeper's custody for each caller.
                let id = "S8\(Int.random(in: 100...999_999))"
                let created = try await hall.call(
                    .post, "/api/admin/seals", as: "20010016",
                    json: ["id": id, "name": "测试专用章", "category": "business", "departmentId": "D10", "custodian": "20010009"])
                #expect(created.status == .created)
                return ("/api/seals/\(id)/report-lost", ["comment": "遗失"])
            },
            expected: [.unauthorized, .forbidden, .forbidden, .forbidden, .ok, .ok, .forbidden, .forbidden, .forbidden]),
        Case(
            description: "grant role", method: .post,
            prepare: { _ in ("/api/admin/accounts/20010001/roles", ["role": "auditor", "scope": "school"]) },
            expected: [.unauthorized, .forbidden, .forbidden, .forbidden, .forbidden, .forbidden, .forbidden, .ok, .forbidden]),
        Case(
            description: "rebuild read model", method: .post, prepare: { _ in ("/api/admin/projections/catalog/rebuild", nil) },
            expected: [.unauthorized, .forbidden, .forbidden, .forbidden, .forbidden, .forbidden, .forbidden, .accepted, .forbidden]),
        Case(
            description: "verify the chain", method: .get, prepare: { _ in ("/api/audit/verify", nil) },
            expected: [.unauthorized, .forbidden, .forbidden, .forbidden, .forbidden, .forbidden, .ok, .ok, .forbidden]),
        Case(
            description: "read the use register", method: .get, prepare: { _ in ("/api/registers/uses", nil) },
            expected: [.unauthorized, .forbidden, .forbidden, .forbidden, .ok, .forbidden, .ok, .ok, .forbidden]),
    ]

    @Test(arguments: cases)
    func everyCallerGetsItsStatus(_ endpoint: Case) async throws {
        try await LiveHall.run { hall, store in
            for (index, caller) in Self.callers.enumerated() {
                let (path, body) = try await endpoint.prepare(hall)
                let head = store.log.head.position
                let reply = try await hall.call(endpoint.method, path, as: caller, json: body ?? (endpoint.method == .get ? nil : [:] as [String: String]))
                #expect(
                    reply.status == endpoint.expected[index], "\(endpoint.description) as \(Self.names[index]): \(reply.text)")
                if reply.status.code >= 400 {
                    #expect(reply.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                    #expect(store.log.head.position == head, "\(endpoint.description) as \(Self.names[index]) recorded events")
                }
            }
        }
    }
}
