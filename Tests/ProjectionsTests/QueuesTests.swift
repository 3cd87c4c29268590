import Foundation
import Projections
import Testing
import TestSupport

@testable import Events

@Suite("Personal queues")
struct QueuesTests {
    /// The seeded hall with both read models; `body` gets the processor and the engine.
    static func withSeededHall(_ body: (CommandProcessor, ProjectionEngine) async throws -> Void) async throws {
        try await withTemporaryLog(options: LogOptions(upcasters: EventCodec.upcasters)) { (log: EventLog) async throws in
            let engine = try await ProjectionEngine(log: log, projections: ReadModels.all)
            let processor = try await CommandProcessor.open(log: log, observer: engine)
            try await processor.load(Seeds(directory: FixtureScenarios.seedsDirectory))
            try await body(processor, engine)
        }
    }

    static func ids(_ items: [QueueItem]) -> [String] { items.map(\.applicationId) }

    @Test("an approval moves a task from every candidate's 流程待办 to the decider's 已办; 流程发起 follows the status")
    func approvalMovesTasks() async throws {
        try await Self.withSeededHall { processor, engine in
            _ = try await processor.execute(.grantRole(account: "20010004", grant: RoleGrant(role: .deptHead, scope: "D10")), actor: CommandContext.systemActor)
            let submitted = try await processor.execute(.submit(form: Cast.letter(important: true), attachments: []), actor: "20010001")
            let id = try #require(submitted.application?.id)
            for candidate in ["20010002", "20010004"] {
                #expect(Self.ids(try QueuesProjection.queues(of: candidate, from: engine).todo) == [id], "\(candidate)")
            }
            #expect(try QueuesProjection.queues(of: "20010003", from: engine).todo.isEmpty)
            let mine = try QueuesProjection.queues(of: "20010001", from: engine).initiated
            #expect(mine.map(\.outcome) == ["in-review"] && mine.first?.title == "介绍信：黑龙江省教育厅（联系实习事宜）")

            _ = try await processor.execute(.decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: 1), actor: "20010002")
            for candidate in ["20010002", "20010004"] {
                #expect(try QueuesProjection.queues(of: candidate, from: engine).todo.isEmpty, "\(candidate)")
            }
            let done = try QueuesProjection.queues(of: "20010002", from: engine).done
            #expect(done.map(\.outcome) == ["approve"] && done.map(\.step) == ["dept-head"])
            #expect(try QueuesProjection.queues(of: "20010003", from: engine).todo.map(\.step) == ["office-review"])

            for (version, decider) in [(2, "20010003"), (3, "20010006")] {
                _ = try await processor.execute(.decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: version), actor: decider)
            }
            #expect(try QueuesProjection.queues(of: "20010003", from: engine).todo.map(\.step) == ["fulfil"])
            _ = try await processor.execute(.fulfil(applicationId: id, action: .issue, expectedVersion: 5), actor: "20010003")
            #expect(try QueuesProjection.queues(of: "20010003", from: engine).todo.isEmpty)
            #expect(try QueuesProjection.queues(of: "20010001", from: engine).initiated.map(\.outcome) == ["completed"])
        }
    }

    @Test("each keeper sees the affixing his seals wait for, until he affixes")
    func keepers() async throws {
        try await Self.withSeededHall { processor, engine in
            let form = ApplicationForm.sealUse(SealUseForm(seals: ["S101", "S005"], documentTitle: "合同", reason: "签约", copies: 2, contractAmount: 30_000))
            let submitted = try await processor.execute(.submit(form: form, attachments: [Cast.attachment]), actor: "20010001")
            let id = try #require(submitted.application?.id)
            for (version, decider) in [(1, "20010002"), (2, "20010004"), (3, "20010003")] {
                _ = try await processor.execute(.decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: version), actor: decider)
            }
            #expect(try QueuesProjection.queues(of: "20010009", from: engine).todo.map(\.step) == ["affix:S101"])
            #expect(try QueuesProjection.queues(of: "20010008", from: engine).todo.map(\.step) == ["affix:S005"])
            _ = try await processor.execute(.fulfil(applicationId: id, action: .affix(seal: "S101", impressions: 2, scan: nil), expectedVersion: 5), actor: "20010009")
            #expect(try QueuesProjection.queues(of: "20010009", from: engine).todo.isEmpty)
            #expect(try QueuesProjection.queues(of: "20010008", from: engine).todo.count == 1)
        }
    }

    @Test("nobody finds his own application among the steps to decide, though he holds the step's role")
    func ownApplications() async throws {
        try await Self.withSeededHall { processor, engine in
            _ = try await processor.execute(.submit(form: Cast.letter(), attachments: []), actor: "20010015")
            #expect(try QueuesProjection.queues(of: "20010015", from: engine).todo.isEmpty)
            #expect(try QueuesProjection.queues(of: "20010015", from: engine).initiated.count == 1)
        }
    }
}
