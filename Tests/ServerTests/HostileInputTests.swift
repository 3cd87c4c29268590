import Foundation
import HTTPTypes
import NIOCore
import Server
import TestSupport
import Testing

/// Hostile input, generated: every command route, as callers of every kind, with valid bodies mutated one field
/// at a time (wrong types, extreme numbers, long or control-laden strings, deep nesting, missing and unknown
/// fields), raw bytes that are not JSON, and odd path parameters. No answer may be a 5xx, and a refused request
/// must record nothing.
@Suite struct HostileInputTests {
    /// A command route and a body it accepts.
    struct Route: Sendable {
        var method: HTTPRequest.Method
        var path: String
        var body: [String: any Sendable]
    }

    static func routes(application: String) -> [Route] {
        [
            Route(method: .post, path: "/api/accounts/activate", body: ["account": "20019999", "code": "ABCD-EFGH", "password": "long-enough-1"]),
            Route(method: .post, path: "/api/session", body: ["account": "20019998", "password": "wrong-password"]),
            Route(method: .post, path: "/api/applications", body: StatusCodeTests.letter),
            Route(method: .post, path: "/api/applications/\(application)/decision", body: ["decision": "approve", "comment": "同意", "expectedVersion": 1]),
            Route(method: .post, path: "/api/applications/\(application)/withdraw", body: ["expectedVersion": 1]),
            Route(method: .post, path: "/api/applications/\(application)/cancel", body: ["expectedVersion": 1]),
            Route(method: .post, path: "/api/applications/\(application)/resubmit", body: ["expectedVersion": 1, "form": StatusCodeTests.letter["form"] ?? ([:] as [String: any Sendable])]),
            Route(method: .post, path: "/api/applications/\(application)/fulfil", body: ["action": "affix", "seal": "S101", "impressions": 2, "expectedVersion": 1]),
            Route(method: .post, path: "/api/seals/S104/report-lost", body: ["comment": "遗失", "reportedAt": "2026-03-02"]),
            Route(method: .post, path: "/api/seals/S104/hand-over", body: ["to": "20010009", "comment": "交接"]),
            Route(method: .post, path: "/api/letters/X-2026-0001/return", body: ["comment": "未使用"]),
            Route(method: .post, path: "/api/admin/departments", body: ["id": "D77", "name": "新部门"]),
            Route(method: .post, path: "/api/admin/accounts", body: ["account": "20017777", "name": "新用户", "departmentId": "D10", "kind": "staff", "roles": [["role": "applicant", "scope": "D10"]]]),
            Route(method: .post, path: "/api/admin/accounts/20010001/roles", body: ["role": "auditor", "scope": "school"]),
            Route(method: .delete, path: "/api/admin/accounts/20010001/roles", body: ["role": "applicant", "scope": "D10"]),
            Route(method: .post, path: "/api/admin/seals", body: ["id": "S777", "name": "测试章", "category": "business", "departmentId": "D10", "custodian": "20010009", "status": "active"]),
            Route(method: .patch, path: "/api/admin/catalog/items/letter", body: ["online": true, "name": "开具介绍信审批"]),
        ]
    }

    /// Values no well-behaved client sends where a field is expected.
    static let hostileValues: [any Sendable] = [
        NSNull(), -1, 0, 9_007_199_254_740_993, Int64.max, -1e308, 1e308, 1.5, "", String(repeating: "长", count: 5000),
        "\u{0}\u{7}\u{1B}[31m", "../../etc/passwd", "😀\u{202E}", true, [] as [String], [:] as [String: String], "7",
        [[[[[[[[[[1]]]]]]]]]] as [any Sendable], ["kind": "letter"],
    ]

    /// Bodies that are not a JSON object, or not JSON at all.
    static let rawBodies: [[UInt8]] = [
        [], Array("[]".utf8), Array("\"x\"".utf8), Array("null".utf8), Array("{".utf8), Array("{\"kind\":".utf8),
        [0xFF, 0xFE, 0x7B, 0x7D], Array("{\"kind\":\"letter\",\"kind\":1}".utf8), Array("{\"n\":1e999999}".utf8),
        Array((String(repeating: "[", count: 4000) + String(repeating: "]", count: 4000)).utf8),
        Array((String(repeating: "{\"a\":", count: 2000) + "1" + String(repeating: "}", count: 2000)).utf8),
        Array("{\"form\":\"\\ud800\"}".utf8),
    ]

    static let oddIdentifiers = ["%00", "..%2F..%2Fetc", String(repeating: "a", count: 600), "%E5%8D%B0", "A2026-999999", "%FF"]

    @Test func noHostileRequestGetsA5xxOrRecordsAnything() async throws {
        try await LiveHall.run { hall, store in
            let submitted = try await hall.call(.post, "/api/applications", as: "20010001", json: StatusCodeTests.letter)
            let application = try #require(submitted.json["id"] as? String)
            let callers: [String?] = [nil, "20010001", "20010003", "20010010", "admin"]
            for caller in callers.compactMap({ $0 }) { _ = try await hall.token(of: caller) }
            var random = SplitMix64(seed: 0x5EA1)
            let routes = Self.routes(application: application)
            for round in 0..<1500 {
                var route = routes.randomElement(using: &random)!
                if round % 10 == 0 {
                    let odd = Self.oddIdentifiers.randomElement(using: &random)!
                    route.path = route.path.replacingOccurrences(of: application, with: odd)
                        .replacingOccurrences(of: "S104", with: odd).replacingOccurrences(of: "20010001", with: odd)
                }
                let caller = callers.randomElement(using: &random)!
                let before = store.log.head.position
                let reply: Reply
                if round % 7 == 0 {
                    let raw = Self.rawBodies.randomElement(using: &random)!
                    reply = try await hall.call(
                        route.method, route.path, as: caller, headers: [.contentType: "application/json"],
                        body: ByteBuffer(bytes: raw))
                } else {
                    reply = try await hall.call(route.method, route.path, as: caller, json: Self.mutated(route.body, using: &random))
                }
                #expect(reply.status.code < 500, "\(route.method) \(route.path) as \(caller ?? "nobody"): \(reply.text)")
                if reply.status.code >= 400 {
                    #expect(store.log.head.position == before, "\(route.method) \(route.path) refused yet recorded: \(reply.text)")
                    #expect(reply.headers[.contentType]?.hasPrefix("application/problem+json") == true, "\(reply.status)")
                }
            }
            // The server still serves, and the log it kept verifies.
            #expect(try await hall.call(.get, "/health").status == .ok)
            #expect(try store.log.verify().ok)
        }
    }

    /// Every read route with its query parameters (the event stream aside: it stays open).
    static let reads: [(path: String, parameters: [String])] = [
        ("/api/catalog/departments", ["audience"]), ("/api/catalog/themes", ["audience"]),
        ("/api/catalog/items", ["audience", "department", "theme", "q", "onlineOnly", "sort", "page", "pageSize"]),
        ("/api/catalog/items/{id}", []), ("/api/applications", ["scope", "status", "kind", "page", "pageSize"]),
        ("/api/applications/{id}", []), ("/api/attachments/{id}", []), ("/api/seals", ["status", "departmentId"]),
        ("/api/seals/{id}", []), ("/api/seals/{id}/history", ["asOf", "format"]), ("/api/registers/uses", ["seal"]),
        ("/api/letters", ["year", "type"]), ("/api/audit/events", ["from", "limit"]),
    ]

    static let hostileQueryValues = [
        "", "-1", "0", "99999999999999999999", "1e309", "abc", "%00", "%FF%FE", String(repeating: "x", count: 3000),
        "2026-13-45", "2026-02-30T25:61:00Z", "%E4%B8%AD", "true", "null", "..%2F", "S101",
    ]

    @Test func noHostileReadGetsA5xx() async throws {
        try await LiveHall.run { hall, _ in
            var random = SplitMix64(seed: 0x7EAD)
            for _ in 0..<1200 {
                let read = Self.reads.randomElement(using: &random)!
                let id = (Self.oddIdentifiers + ["S101", "letter", "A2026-000001"]).randomElement(using: &random)!
                var path = read.path.replacingOccurrences(of: "{id}", with: id)
                let query = read.parameters.filter { _ in Bool.random(using: &random) }.map { name in
                    "\(name)=\(Self.hostileQueryValues.randomElement(using: &random)!)"
                }
                if !query.isEmpty { path += "?" + query.joined(separator: "&") }
                let caller = ["20010001", "20010010", "admin"].randomElement(using: &random)!
                let reply = try await hall.call(.get, path, as: caller)
                #expect(reply.status.code < 500, "GET \(path) as \(caller): \(reply.text)")
            }
        }
    }

    /// `body` with one change: a field's value replaced by a hostile one (at any depth), a field removed, or an
    /// unknown field added.
    static func mutated(_ body: [String: any Sendable], using random: inout SplitMix64) -> [String: any Sendable] {
        var body = body
        guard let key = body.keys.sorted().randomElement(using: &random) else { return body }
        switch Int.random(in: 0..<5, using: &random) {
        case 0: body[key] = nil
        case 1: body["unexpected\(Int.random(in: 0..<3, using: &random))"] = hostileValues.randomElement(using: &random)!
        case 2:
            if let nested = body[key] as? [String: any Sendable] {
                body[key] = mutated(nested, using: &random)
            } else {
                body[key] = hostileValues.randomElement(using: &random)!
            }
        default: body[key] = hostileValues.randomElement(using: &random)!
        }
        return body
    }
}
