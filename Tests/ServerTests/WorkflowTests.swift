import Foundation
import HTTPTypes
import Server
import Testing

/// The five kinds end to end over loopback, each step by the real actor with their own login, checking the
/// portal's figures before, during and after.
@Suite struct WorkflowTests {
    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }
    static let soon = Date().addingTimeInterval(86_400)
    static let later = Date().addingTimeInterval(5 * 86_400)

    struct Story: Sendable {
        var kind: String
        var applicant: String
        var form: [String: any Sendable]
        /// Fulfilment after approval: (actor, action body without expectedVersion).
        var fulfilment: [(String, [String: any Sendable])]
    }

    static let stories: [Story] = [
        Story(
            kind: "seal-use", applicant: "20010001",
            form: ["seals": ["S101", "S005"], "documentTitle": "横向科研合同", "reason": "签订横向科研合同", "copies": 4,
                "recipient": "哈尔滨某科技有限公司", "contractAmount": 120_000, "takeOut": false, "classified": false],
            fulfilment: [
                ("20010009", ["action": "affix", "seal": "S101", "impressions": 4]),
                ("20010008", ["action": "affix", "seal": "S005", "impressions": 4]),
            ]),
        Story(
            kind: "seal-carving", applicant: "20010011",
            form: ["sealName": "哈尔滨理工大学教务处实验教学专用章", "category": "business", "departmentId": "D08", "reason": "new",
                "basisDocument": "哈理工教发〔2026〕5号", "size": 40, "quantity": 1, "custodian": "20010014", "scope": "实验教学文件"],
            fulfilment: [
                ("20010003", ["action": "file", "filingNumber": "哈公备2026-0301"]),
                ("20010003", ["action": "record-made", "maker": "哈尔滨市印章刻制中心"]),
                ("20010003", ["action": "activate", "imprint": String(repeating: "ab", count: 32), "noticeNumber": "党办〔2026〕12号",
                    "effectiveDate": iso(soon)]),
            ]),
        Story(
            kind: "seal-abolition", applicant: "20010011",
            form: ["seal": "S103", "reason": "worn", "stopDate": iso(soon)],
            fulfilment: [
                ("20010003", ["action": "hand-in", "handedInBy": "教务处印章管理员", "receivedBy": "党政办审核人"]),
                ("20010003", ["action": "seal-up", "location": "党政办印章保险柜"]),
            ]),
        Story(
            kind: "letter", applicant: "20010001",
            form: ["letterType": "administrative", "persons": [["name": "张瑞雪", "title": "科长", "idNumber": "2301**********2026"]],
                "destination": "黑龙江省科学技术厅", "matter": "联系项目申报事宜", "validDays": 7, "important": false],
            fulfilment: [("20010003", ["action": "issue"])]),
        Story(
            kind: "certificate", applicant: "20010001",
            form: ["documents": ["legal-rep-id"], "form": "original", "purpose": "银行开户核验", "recipient": "中国银行哈尔滨分行",
                "borrowFrom": iso(soon), "dueBack": iso(later)],
            fulfilment: [
                ("20010003", ["action": "lend"]),
                ("20010003", ["action": "return", "comment": "原件完好"]),
            ]),
    ]

    @Test(arguments: stories.indices)
    func completesThroughEveryStep(_ index: Int) async throws {
        let story = Self.stories[index]
        try await LiveHall.run { hall, _ in
            let before = try await hall.call(.get, "/api/portal/stats").json
            // The document to stamp is uploaded first and named by its hash.
            let upload = try await hall.call(
                .post, "/api/attachments", as: story.applicant,
                headers: [.contentType: "application/pdf", .init("X-File-Name")!: "%E5%90%88%E5%90%8C.pdf"],
                body: .init(string: "%PDF-1.4 合同正文"))
            #expect(upload.status == .created, "\(upload.text)")
            #expect(upload.json["name"] as? String == "合同.pdf")
            let attachment: [String: any Sendable] = [
                "name": "合同.pdf", "size": upload.json["size"] as? Int ?? 0, "sha256": upload.json["sha256"] as? String ?? "",
            ]
            let submitted = try await hall.call(
                .post, "/api/applications", as: story.applicant,
                json: ["kind": story.kind, "form": story.form, "attachments": [attachment]] as [String: any Sendable])
            #expect(submitted.status == .created, "\(submitted.text)")
            let id = try #require(submitted.json["id"] as? String)
            #expect(submitted.headers[.location] == "/api/applications/\(id)")
            let during = try await hall.call(.get, "/api/portal/stats").json
            #expect(during["inProgress"] as? Int == (before["inProgress"] as? Int ?? -1) + 1)
            #expect(during["total"] as? Int == (before["total"] as? Int ?? -1) + 1)

            var application = submitted.json
            var deciders = [String]()
            while application["status"] as? String == "in-review" {
                let candidates = try #require(application["candidates"] as? [String])
                let decider = try #require(candidates.first, "no candidate for \(application["currentStep"] ?? "")")
                // The step waits in the decider's 流程待办.
                let tasks = try await hall.call(.get, "/api/tasks", as: decider).array
                #expect(tasks.contains { $0["applicationId"] as? String == id })
                let decided = try await hall.call(
                    .post, "/api/applications/\(id)/decision", as: decider,
                    json: ["decision": "approve", "comment": "同意", "expectedVersion": application["version"] as? Int ?? -1])
                #expect(decided.status == .ok, "\(decided.text)")
                application = decided.json
                deciders.append(decider)
                // …and now in 已办, no longer in 流程待办.
                let done = try await hall.call(.get, "/api/applications?scope=done", as: decider).json
                #expect((done["items"] as? [[String: any Sendable]])?.contains { $0["id"] as? String == id } == true)
                let stillTodo = try await hall.call(.get, "/api/tasks", as: decider).array
                #expect(!stillTodo.contains { $0["applicationId"] as? String == id && $0["step"] as? String != "fulfil" })
            }
            #expect(application["status"] as? String == "approved", "\(application)")
            #expect(!deciders.isEmpty)
            var scans = [String]()
            for (actor, action) in story.fulfilment {
                var body = action
                body["expectedVersion"] = application["version"] as? Int ?? -1
                if action["action"] as? String == "affix" {
                    // The keeper records the scan of the stamped document with the affix.
                    let scan = try await hall.call(
                        .post, "/api/attachments", as: actor,
                        headers: [.contentType: "application/pdf", .init("X-File-Name")!: "scan.pdf"],
                        body: .init(string: "%PDF-1.4 盖章件扫描 \(action["seal"] ?? "")"))
                    let sha256 = try #require(scan.json["sha256"] as? String)
                    body["scan"] = sha256
                    scans.append(sha256)
                }
                let fulfilled = try await hall.call(.post, "/api/applications/\(id)/fulfil", as: actor, json: body)
                #expect(fulfilled.status == .ok, "\(action["action"] ?? "") → \(fulfilled.text)")
                application = fulfilled.json
            }
            #expect(application["status"] as? String == "completed", "\(application)")
            let after = try await hall.call(.get, "/api/portal/stats").json
            #expect(after["inProgress"] as? Int == before["inProgress"] as? Int)
            #expect(after["completed"] as? Int == (before["completed"] as? Int ?? -1) + 1)

            // The applicant's 流程发起 shows the outcome, and the timeline tells every step by name.
            let mine = try await hall.call(.get, "/api/applications?scope=mine", as: story.applicant).json
            let line = (mine["items"] as? [[String: any Sendable]])?.first { $0["id"] as? String == id }
            #expect(line?["status"] as? String == "completed")
            let detail = try await hall.call(.get, "/api/applications/\(id)", as: story.applicant).json
            let timeline = try #require(detail["timeline"] as? [[String: any Sendable]])
            #expect(timeline.first?["action"] as? String == "提交申请")
            #expect(timeline.filter { ($0["action"] as? String)?.hasPrefix("同意") == true }.count == deciders.count)
            #expect(timeline.last?["action"] as? String == "办结")
            // The admin's statistics time every step this application went through.
            let statistics = try await hall.call(.get, "/api/admin/statistics/steps", as: "20010016").array
            for step in ((detail["route"] as? [[String: any Sendable]]) ?? []).compactMap({ $0["step"] as? String }) + ["fulfil"] {
                #expect(statistics.contains { $0["kind"] as? String == story.kind && $0["step"] as? String == step && $0["count"] as? Int == 1 }, "\(step)")
            }
            if story.kind == "seal-use" {
                // Whoever may read the application may fetch the scans (here the auditor), and the 用印登记簿 names them;
                // an applicant of another department may not.
                for scan in scans {
                    #expect(try await hall.call(.get, "/api/attachments/\(scan)", as: "20010010").status == .ok)
                    #expect(try await hall.call(.get, "/api/attachments/\(scan)", as: "20010011").status == .notFound)
                }
                let uses = try await hall.call(.get, "/api/registers/uses", as: "20010010").array
                #expect(Set(uses.filter { $0["applicationId"] as? String == id }.compactMap { $0["scan"] as? String }) == Set(scans))
                #expect(scans.count == 2)
            }
            if story.kind == "letter" {
                let letter = try #require(detail["letter"] as? [String: any Sendable])
                #expect((letter["number"] as? String)?.contains("介字") == true)
                // The stub is in the register, and returning the letter unused shows there.
                let serial = try #require(letter["serial"] as? String)
                let year = try #require(letter["year"] as? Int)
                let register = try await hall.call(.get, "/api/letters?year=\(year)&type=administrative", as: "20010003").array
                #expect(register.first { $0["serial"] as? String == serial }?["status"] as? String == "issued")
                let returned = try await hall.call(.post, "/api/letters/\(serial)/return", as: "20010003", json: ["comment": "行程取消"])
                #expect(returned.json["status"] as? String == "returned", "\(returned.text)")
                StatusCodeTests.expectProblem(
                    try await hall.call(.get, "/api/letters?year=1999", as: "20010003"), .badRequest, "malformed")
            }
        }
    }
}
