import Foundation
import Testing
import TestSupport

/// Who may download an attachment: its uploader, and whoever may read an application that names it now — found
/// through the `attachment-references` read model, which follows resubmissions.
@Suite struct AttachmentAccessTests {
    @Test("readers of an application that names a file may download it, others get 404, and a resubmission that drops it drops them")
    func readersOfNamingApplications() async throws {
        try await LiveHall.run { hall, _ in
            let upload = try await hall.call(
                .post, "/api/attachments", as: "20010001",
                headers: [.contentType: "application/pdf", .init("X-File-Name")!: "plan.pdf"],
                body: .init(string: "%PDF-1.4 项目申报材料"))
            let sha256 = try #require(upload.json["sha256"] as? String)
            func status(_ account: String) async throws -> Int {
                try await hall.call(.get, "/api/attachments/\(sha256)", as: account).status.code
            }
            // Uploaded but named by no application: only the uploader.
            #expect(try await status("20010001") == 200)
            #expect(try await status("20010002") == 404)

            var letter = StatusCodeTests.letter
            letter["attachments"] = [
                ["name": "plan.pdf", "size": upload.json["size"] as? Int ?? 0, "sha256": sha256] as [String: any Sendable]
            ]
            let submitted = try await hall.call(.post, "/api/applications", as: "20010001", json: letter).json
            let id = try #require(submitted["id"] as? String)
            // The department head who decides it, and the auditor, may; an applicant of another department may not.
            #expect(try await status("20010002") == 200)
            #expect(try await status("20010010") == 200)
            #expect(try await status("20010011") == 404)

            // Returned, then resubmitted without the file: the application no longer names it.
            let returned = try await hall.call(
                .post, "/api/applications/\(id)/decision", as: "20010002",
                json: ["decision": "return", "comment": "补充材料", "expectedVersion": submitted["version"] as? Int ?? -1]).json
            #expect(returned["status"] as? String == "returned")
            let resubmitted = try await hall.call(
                .post, "/api/applications/\(id)/resubmit", as: "20010001",
                json: ["expectedVersion": returned["version"] as? Int ?? -1, "form": try #require(StatusCodeTests.letter["form"])])
            #expect(resubmitted.status == .ok, "\(resubmitted.text)")
            #expect(try await status("20010002") == 404)
            #expect(try await status("20010010") == 404)
            #expect(try await status("20010001") == 200)
        }
    }
}
