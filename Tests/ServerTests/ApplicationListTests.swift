import Foundation
import Testing
import TestSupport

/// `GET /api/applications?scope=all`: every application, open or finished, newest first, filtered, paged.
@Suite struct ApplicationListTests {
    @Test("the whole list pages newest first, counts every match, and reads finished applications from the table")
    func wholeListPages() async throws {
        try await LiveHall.run { hall, _ in
            let approved = try await AuthorizationTests.approvedLetter(hall)
            let finished = try await hall.call(
                .post, "/api/applications/\(approved["id"] ?? "")/fulfil", as: "20010003",
                json: ["action": "issue", "expectedVersion": approved["version"] as? Int ?? -1]).json
            #expect(finished["status"] as? String == "completed")
            var open = [String]()
            for _ in 0..<2 { open.append(try #require(try await AuthorizationTests.submitLetter(hall)["id"] as? String)) }

            func ids(_ query: String) async throws -> (ids: [String], total: Int?) {
                let page = try await hall.call(.get, "/api/applications?scope=all&\(query)", as: "20010010").json
                let items = (page["items"] as? [[String: any Sendable]]) ?? []
                return (items.compactMap { $0["id"] as? String }, page["total"] as? Int)
            }
            let first = try await ids("pageSize=2&page=1")
            #expect(first.ids == open.reversed() && first.total == 3)
            let second = try await ids("pageSize=2&page=2")
            #expect(second.ids == [finished["id"] as? String] && second.total == 3)
            #expect(try await ids("pageSize=2&page=3") == ([], 3))
            #expect(try await ids("status=completed") == ([finished["id"] as? String ?? ""], 1))
            #expect(try await ids("status=in-review").total == 2)
            #expect(try await ids("kind=seal-use") == ([], 0))
        }
    }
}
