import Foundation
import HTTPTypes
import NIOCore
import Server
import TestSupport
import Testing

/// Commands over HTTP: idempotency keys, racing approvers, cookie sessions with CSRF, and a restart on the same
/// store.
@Suite struct CommandTests {
    static let key = HTTPField.Name("Idempotency-Key")!

    @Test func aRepeatedKeyAppendsOnceAndAnotherBodyIsRefused() async throws {
        try await LiveHall.run { hall, store in
            let first = try await hall.call(.post, "/api/applications", as: "20010001", json: StatusCodeTests.letter, headers: [Self.key: "submit-42"])
            #expect(first.status == .created)
            let head = store.log.head.position
            let again = try await hall.call(.post, "/api/applications", as: "20010001", json: StatusCodeTests.letter, headers: [Self.key: "submit-42"])
            #expect(again.status == .created)
            #expect(again.json["id"] as? String == first.json["id"] as? String)
            #expect(store.log.head.position == head, "the repeat appended")
            var other = StatusCodeTests.letter
            other["form"] = ["letterType": "party", "persons": [["name": "张瑞雪", "title": "科长", "idNumber": "2301**********2026"]],
                "destination": "某市委组织部", "matter": "联系考察事宜", "validDays": 5, "important": false] as [String: any Sendable]
            let reused = try await hall.call(.post, "/api/applications", as: "20010001", json: other, headers: [Self.key: "submit-42"])
            StatusCodeTests.expectProblem(reused, .unprocessableContent, "idempotency-key-reused")
            #expect(store.log.head.position == head)
            let badKey = try await hall.call(.post, "/api/applications", as: "20010001", json: StatusCodeTests.letter, headers: [Self.key: "含中文"])
            StatusCodeTests.expectProblem(badKey, .badRequest, "malformed")
        }
    }

    @Test func twoApproversRacingOnOneStepGetOneSuccessAndOneConflict() async throws {
        try await LiveHall.run { hall, _ in
            // An important letter reaches the school leaders' step; two leaders of the same scope race on it.
            let admin = "20010016"
            let granted = try await hall.call(.post, "/api/admin/accounts/20010007/roles", as: admin, json: ["role": "dept-head", "scope": "D10"])
            #expect(granted.status == .ok, "\(granted.text)")
            let application = try await AuthorizationTests.submitLetter(hall)
            let id = try #require(application["id"] as? String)
            let candidates = try #require(try await hall.call(.get, "/api/applications/\(id)", as: "20010001").json["candidates"] as? [String])
            #expect(candidates == ["20010002", "20010007"])
            let body: [String: any Sendable] = ["decision": "approve", "expectedVersion": application["version"] as? Int ?? -1]
            _ = try await (hall.token(of: "20010002"), hall.token(of: "20010007"))
            async let first = hall.call(.post, "/api/applications/\(id)/decision", as: "20010002", json: body)
            async let second = hall.call(.post, "/api/applications/\(id)/decision", as: "20010007", json: body)
            let statuses = try await [first.status, second.status].map(\.code).sorted()
            #expect(statuses == [200, 409])
        }
    }

    @Test func aReturnedApplicationIsResubmittedWithItsKindFilledIn() async throws {
        try await LiveHall.run { hall, _ in
            let submitted = try await AuthorizationTests.submitLetter(hall)
            let id = try #require(submitted["id"] as? String)
            let returned = try await hall.call(
                .post, "/api/applications/\(id)/decision", as: "20010002",
                json: ["decision": "return", "comment": "请写明事由", "expectedVersion": submitted["version"] as? Int ?? -1])
            #expect(returned.json["status"] as? String == "returned")
            var form = try #require(StatusCodeTests.letter["form"] as? [String: any Sendable])
            form["matter"] = "联系重点研发计划项目申报事宜"
            let resubmitted = try await hall.call(
                .post, "/api/applications/\(id)/resubmit", as: "20010001",
                json: ["form": form, "expectedVersion": returned.json["version"] as? Int ?? -1] as [String: any Sendable])
            #expect(resubmitted.status == .ok, "\(resubmitted.text)")
            #expect(resubmitted.json["status"] as? String == "in-review")
            #expect((resubmitted.json["form"] as? [String: any Sendable])?["matter"] as? String == "联系重点研发计划项目申报事宜")
            let other = try await hall.call(
                .post, "/api/applications/\(id)/resubmit", as: "20010001",
                json: ["kind": "certificate", "form": form, "expectedVersion": resubmitted.json["version"] as? Int ?? -1] as [String: any Sendable])
            #expect(other.status == .unprocessableContent, "another kind's form does not decode: \(other.text)")
        }
    }

    @Test func cookieSessionsNeedTheCSRFHeaderForCommands() async throws {
        try await LiveHall.run { hall, _ in
            let login = try await hall.call(.post, "/api/session", json: ["account": "20010001", "password": LiveHall.demoPassword])
            let cookie = try #require(login.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            let sid = String(try #require(cookie.split(separator: ";").first))
            let csrf = try #require(login.json["csrfToken"] as? String)
            let read = try await hall.call(.get, "/api/me", headers: [.cookie: sid])
            #expect(read.status == .ok)
            #expect(read.json["account"] as? String == "20010001")
            let forged = try await hall.call(.post, "/api/applications", json: StatusCodeTests.letter, headers: [.cookie: sid])
            StatusCodeTests.expectProblem(forged, .forbidden, "csrf")
            let honest = try await hall.call(
                .post, "/api/applications", json: StatusCodeTests.letter, headers: [.cookie: sid, .init("X-CSRF-Token")!: csrf])
            #expect(honest.status == .created)
            let logout = try await hall.call(.delete, "/api/session", headers: [.cookie: sid, .init("X-CSRF-Token")!: csrf])
            #expect(logout.status == .noContent)
            StatusCodeTests.expectProblem(try await hall.call(.get, "/api/me", headers: [.cookie: sid]), .unauthorized, "unauthenticated")
        }
    }

    @Test func anAccountIsActivatedWithItsOneTimeCode() async throws {
        try await LiveHall.run { hall, _ in
            let created = try await hall.call(
                .post, "/api/admin/accounts", as: "admin",
                json: ["account": "20019999", "name": "新教师", "departmentId": "D10", "kind": "staff",
                    "roles": [["role": "applicant", "scope": "D10"]]], headers: [Self.key: "new-teacher"])
            #expect(created.status == .created, "\(created.text)")
            let code = try #require(created.json["activationCode"] as? String)
            // The code is shown once: a repeat of the request, even under its key, cannot show it again.
            let repeated = try await hall.call(
                .post, "/api/admin/accounts", as: "admin",
                json: ["account": "20019999", "name": "新教师", "departmentId": "D10", "kind": "staff",
                    "roles": [["role": "applicant", "scope": "D10"]]], headers: [Self.key: "new-teacher"])
            StatusCodeTests.expectProblem(repeated, .conflict, "already-exists")
            let wrong = try await hall.call(
                .post, "/api/accounts/activate", json: ["account": "20019999", "activationCode": "WRONGCODE234", "password": "new-password-1"])
            StatusCodeTests.expectProblem(wrong, .unprocessableContent, "validation")
            let short = try await hall.call(
                .post, "/api/accounts/activate", json: ["account": "20019999", "activationCode": code, "password": "short"])
            StatusCodeTests.expectProblem(short, .unprocessableContent, "validation")
            let activated = try await hall.call(
                .post, "/api/accounts/activate", json: ["account": "20019999", "activationCode": code, "password": "new-password-1"])
            #expect(activated.status == .noContent, "\(activated.text)")
            let again = try await hall.call(
                .post, "/api/accounts/activate", json: ["account": "20019999", "activationCode": code, "password": "other-password-1"])
            #expect(again.status == .unprocessableContent, "a code works once")
            let login = try await hall.call(.post, "/api/session", json: ["account": "20019999", "password": "new-password-1"])
            #expect(login.status == .ok)
            #expect(login.json["name"] as? String == "新教师")
        }
    }

    @Test func aRestartedServerReadsTheSame() async throws {
        try await withTemporaryDirectory { directory in
            let paths = ["/api/portal/stats", "/api/catalog/items?sort=visits", "/api/seals", "/api/tasks", "/api/me"]
            let before = try await LiveHall.run(directory: directory) { hall, _ in
                let approved = try await AuthorizationTests.approvedLetter(hall)
                #expect(approved["status"] as? String == "approved")
                // Issued, the application is finished and its letter is read from the table after the restart.
                let application = try await hall.call(
                    .post, "/api/applications/\(approved["id"] ?? "")/fulfil", as: "20010003",
                    json: ["action": "issue", "expectedVersion": approved["version"] as? Int ?? -1]).json
                #expect(application["status"] as? String == "completed")
                #expect((application["letter"] as? [String: any Sendable])?["status"] as? String == "issued")
                _ = try await hall.call(.get, "/api/catalog/items/letter")
                var bodies = [String]()
                for path in paths { bodies.append(try await hall.call(.get, path, as: "20010003").text) }
                bodies.append(try await hall.call(.get, "/api/applications/\(application["id"] ?? "")", as: "20010001").text)
                return bodies
            }
            let after = try await LiveHall.run(directory: directory) { hall, _ in
                var bodies = [String]()
                for path in paths { bodies.append(try await hall.call(.get, path, as: "20010003").text) }
                let id = try #require(try await hall.call(.get, "/api/applications?scope=mine", as: "20010001").json["items"]
                    .flatMap { ($0 as? [[String: any Sendable]])?.first?["id"] as? String })
                bodies.append(try await hall.call(.get, "/api/applications/\(id)", as: "20010001").text)
                return bodies
            }
            #expect(before == after)
        }
    }
}
