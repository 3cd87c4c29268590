import Events
import Foundation
import HTTPTypes
import Server
import TestSupport
import Testing

/// The service's own surfaces: OpenAPI kept true, health, metrics, the event stream, the catalog.
@Suite struct ServiceTests {
    @Test func theOpenAPIDocumentNamesExactlyTheServedRoutes() async throws {
        try await LiveHall.run { hall, _ in
            let document = try await hall.call(.get, "/openapi.json")
            #expect(document.status == .ok)
            #expect(document.json["openapi"] as? String == "3.1.0")
            let paths = try #require(document.json["paths"] as? [String: [String: any Sendable]])
            var documented = Set<String>()
            for (path, operations) in paths {
                for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
            }
            let served = Set(HallServer.registeredRoutes)
            #expect(served.subtracting(documented).sorted() == [], "served but not documented")
            #expect(documented.subtracting(served).sorted() == [], "documented but not served")
            // Every documented route answers as a route (a 404 may say an id is unknown, never that the path is).
            for route in documented.sorted() {
                let parts = route.split(separator: " ", maxSplits: 1)
                let path = String(parts[1]).replacingOccurrences(of: "{", with: "x").replacingOccurrences(of: "}", with: "")
                guard path != "/api/events/stream" else { continue }
                let reply = try await hall.call(HTTPRequest.Method(String(parts[0]))!, path, as: "admin", json: parts[0] == "GET" ? nil : [:] as [String: String])
                #expect(reply.status != .methodNotAllowed && reply.json["detail"] as? String != "没有这个地址", "\(route): \(reply.text)")
                #expect(reply.status.code < 500, "\(route): \(reply.text)")
            }
        }
    }

    /// The document's query vocabularies are the code's, and its bounds are the ones the server enforces: a value
    /// it documents is answered (not 400), and one past a bound is refused.
    @Test func theOpenAPIDocumentStatesTheQueryVocabulariesAndBounds() async throws {
        try await LiveHall.run { hall, _ in
            let document = try await hall.call(.get, "/openapi.json").json
            let paths = try #require(document["paths"] as? [String: [String: [String: any Sendable]]])
            func schema(_ path: String, _ name: String) -> [String: any Sendable] {
                let parameters = paths[path]?["get"]?["parameters"] as? [[String: any Sendable]] ?? []
                return parameters.first { $0["name"] as? String == name }?["schema"] as? [String: any Sendable] ?? [:]
            }
            let vocabularies: [(String, String, [String])] = [
                ("/api/applications", "status", ApplicationStatus.allCases.map(\.rawValue)),
                ("/api/applications", "kind", ApplicationKind.allCases.map(\.rawValue)),
                ("/api/seals", "status", SealStatus.allCases.map(\.rawValue)),
            ]
            for (path, name, values) in vocabularies {
                #expect(schema(path, name)["enum"] as? [String] == values, "\(path) \(name)")
                for value in values {
                    let reply = try await hall.call(.get, "\(path)?\(name)=\(value)", as: "20010010")
                    #expect(reply.status == .ok, "\(path)?\(name)=\(value): \(reply.text)")
                }
            }
            // The bodies' vocabularies too.
            let components = try #require((document["components"] as? [String: any Sendable])?["schemas"] as? [String: any Sendable])
            func property(_ schema: [String: any Sendable]?, _ name: String) -> [String: any Sendable] {
                (schema?["properties"] as? [String: any Sendable])?[name] as? [String: any Sendable] ?? [:]
            }
            let sealBody = ((paths["/api/admin/seals"]?["post"]?["requestBody"] as? [String: any Sendable])?["content"]
                as? [String: [String: any Sendable]])?["application/json"]?["schema"] as? [String: any Sendable]
            #expect(property(components["RoleGrant"] as? [String: any Sendable], "role")["enum"] as? [String] == Role.allCases.map(\.rawValue))
            #expect(property(components["CatalogItemInput"] as? [String: any Sendable], "audience")["enum"] as? [String] == Audience.allCases.map(\.rawValue))
            #expect(property(components["CatalogItemInput"] as? [String: any Sendable], "kind")["enum"] as? [String] == ApplicationKind.allCases.map(\.rawValue))
            #expect(property(sealBody, "category")["enum"] as? [String] == SealCategory.allCases.map(\.rawValue))
            for (path, name) in [("/api/applications", "page"), ("/api/applications", "pageSize"), ("/api/catalog/items", "pageSize")] {
                let bounds = schema(path, name)
                let (minimum, maximum) = (try #require(bounds["minimum"] as? Int), try #require(bounds["maximum"] as? Int))
                for (value, answered) in [(minimum, true), (maximum, true), (minimum - 1, false), (maximum + 1, false)] {
                    let reply = try await hall.call(.get, "\(path)?\(name)=\(value)", as: "20010010")
                    #expect((reply.status == .ok) == answered, "\(path)?\(name)=\(value): \(reply.status)")
                }
            }
        }
    }

    @Test func healthAndMetricsReportTheLog() async throws {
        try await LiveHall.run { hall, store in
            let health = try await hall.call(.get, "/health")
            #expect(health.json["status"] as? String == "ok")
            #expect(health.json["position"] as? Int == Int(store.log.head.position))
            for _ in 1...2 {
                _ = try await hall.call(.post, "/api/applications", as: "20010001", json: StatusCodeTests.letter)
            }
            let metrics = try await hall.call(.get, "/metrics").text
            #expect(metrics.contains("sealhall_log_position \(store.log.head.position)"))
            #expect(metrics.contains(#"sealhall_commands_total{command="submit",outcome="accepted"} 2"#))
            #expect(metrics.contains(#"http_requests_total{method="POST",route="/api/applications",status="201"} 2"#))
            #expect(metrics.contains("sealhall_projection_lag"))
        }
    }

    /// Found by schemathesis: two backups in one second at one position were given one name, and the second
    /// failed with a 500.
    @Test func backupsAskedForAtOnceEachGetACopyOfTheirOwn() async throws {
        try await LiveHall.run { hall, store in
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 1...4 { group.addTask { try await hall.call(.post, "/api/admin/backup", as: "admin", json: [:] as [String: String]) } }
                return try await group.reduce(into: [Reply]()) { $0.append($1) }
            }
            #expect(replies.map(\.status) == Array(repeating: .ok, count: 4))
            let paths = replies.compactMap { $0.json["path"] as? String }
            #expect(Set(paths).count == 4 && paths.allSatisfy { $0.hasPrefix(store.log.directory + "/backups/") })
            #expect(replies.allSatisfy { $0.json["position"] as? Int == Int(store.log.head.position) })
            #expect(replies.allSatisfy { ($0.json["bytes"] as? Int ?? 0) > 0 })
        }
    }

    @Test func everyAnswerCarriesItsOwnRequestId() async throws {
        try await LiveHall.run { hall, _ in
            let replies = [
                try await hall.call(.get, "/health"), try await hall.call(.get, "/health"),
                try await hall.call(.get, "/api/applications/nonsense", as: "20010001"),
            ]
            let ids = replies.compactMap { $0.headers[HTTPField.Name("X-Request-Id")!] }
            #expect(ids.count == 3 && Set(ids).count == 3 && ids.allSatisfy { $0.count >= 16 })
            #expect(replies[2].status == .notFound)
        }
    }

    @Test func theEventStreamResumesFromAPositionAndFollowsNewEntries() async throws {
        try await LiveHall.run { hall, store in
            let token = try await hall.token(of: "20010010")
            let port = try #require(hall.client.port)
            let head = store.log.head.position
            let request = "GET /api/events/stream?from=\(head - 1) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n\r\n"
            // While the stream is open, a new application is submitted: it must arrive on it.
            async let submitted = hall.call(.post, "/api/applications", as: "20010001", json: StatusCodeTests.letter)
            let text = try await onOwnThread {
                try RawHTTP.read(port: port, request: request) { $0.contains("event: ApplicationSubmitted") }
            }
            #expect(try await submitted.status == .created)
            #expect(text.contains("text/event-stream"))
            #expect(text.contains("id: \(head - 1)\n"))
            #expect(text.contains("id: \(head)\n"))
            #expect(text.contains("id: \(head + 1)\nevent: ApplicationSubmitted"))
            // Applicants may not read the raw log.
            StatusCodeTests.expectProblem(try await hall.call(.get, "/api/events/stream", as: "20010001"), .forbidden, "forbidden")
        }
    }

    @Test func theCatalogFiltersSearchesAndCountsVisits() async throws {
        try await LiveHall.run { hall, _ in
            let all = try await hall.call(.get, "/api/catalog/items?pageSize=100").json
            let online = try await hall.call(.get, "/api/catalog/items?onlineOnly=true&pageSize=100").json
            #expect((all["total"] as? Int ?? 0) > (online["total"] as? Int ?? 0))
            #expect((online["items"] as? [[String: any Sendable]])?.allSatisfy { $0["online"] as? Bool == true } == true)
            let search = try await hall.call(.get, "/api/catalog/items?q=%E4%BB%8B%E7%BB%8D%E4%BF%A1").json
            #expect((search["items"] as? [[String: any Sendable]])?.map { $0["id"] as? String } == ["letter"])
            let guide = try await hall.call(.get, "/api/catalog/items/letter").json
            #expect((guide["guide"] as? [String: any Sendable])?["process"] is String)
            #expect(guide["visits"] as? Int == 1)
            let top = try await hall.call(.get, "/api/catalog/items?sort=visits&pageSize=1").json
            #expect((top["items"] as? [[String: any Sendable]])?.first?["id"] as? String == "letter")
            let departments = try await hall.call(.get, "/api/catalog/departments?audience=teacher").array
            #expect(departments.contains { $0["name"] as? String != nil && ($0["itemCount"] as? Int ?? 0) > 0 })
            StatusCodeTests.expectProblem(try await hall.call(.get, "/api/catalog/items/nope"), .notFound, "not-found")
        }
    }
}
