import Foundation
import Projections
import Testing
import TestSupport

@testable import Events

@Suite("Registers")
struct RegistersTests {
    static func withFixture<R>(_ file: String, _ body: (ProjectionEngine) throws -> R) async throws -> R {
        try await withTemporaryDirectory { directory in
            let log = try await FixtureScenarios.importFixture(file, into: directory)
            let engine = try await ProjectionEngine(log: log, projections: ReadModels.all)
            let result = try body(engine)
            await engine.close()
            await log.close()
            return result
        }
    }

    @Test("the seal register and the seal-use register after the seal-use story")
    func sealUse() async throws {
        try await Self.withFixture("seal-use.jsonl") { (engine: ProjectionEngine) throws in
            let seals = try RegistersProjection.seals(from: engine)
            #expect(seals.count == 10 && seals.allSatisfy { $0.status == .active })
            #expect(seals.filter { $0.uses == 1 }.map(\.id) == ["S005", "S101"])
            #expect(try RegistersProjection.seals(from: engine, departmentId: "D10").map(\.id) == ["S101"])
            let uses = try RegistersProjection.uses(from: engine)
            #expect(uses.map(\.seal) == ["S101", "S005"] && uses.map(\.keeper) == ["20010009", "20010008"])
            #expect(uses.allSatisfy { $0.impressions == 4 && $0.applicant == "20010001" && $0.departmentId == "D10" })
            #expect(uses.first?.approvers == ["20010002", "20010004", "20010003", "20010006"])
            #expect(try RegistersProjection.uses(from: engine, seal: "S005").count == 1)
            let approvers = try engine.read("registers") { reader, table in
                try reader.rows([String].self, table: table, prefix: "approvers/")
            }
            #expect(approvers.isEmpty, "the completed application's approvers are dropped once its seals were affixed")
        }
    }

    @Test("a seal use resubmitted after a return lists the approvers of its last round only")
    func approversAfterResubmission() async throws {
        try await QueuesTests.withSeededHall { processor, engine in
            let form = ApplicationForm.sealUse(SealUseForm(seals: ["S101"], documentTitle: "合同", reason: "签约", copies: 2, contractAmount: 30_000))
            var application = try #require(try await processor.execute(.submit(form: form, attachments: [Cast.attachment]), actor: "20010001").application)
            let id = application.id
            func run(_ command: Command, by actor: String) async throws {
                application = try #require(try await processor.execute(command, actor: actor).application)
            }
            try await run(.decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: application.version), by: "20010002")
            try await run(.decide(applicationId: id, decision: .return, comment: "补材料", expectedVersion: application.version), by: "20010004")
            try await run(.resubmit(applicationId: id, form: form, attachments: [Cast.attachment], expectedVersion: application.version), by: "20010001")
            var approvers = [String]()
            for decider in ["20010002", "20010004", "20010003"] where application.status == .inReview {
                try await run(.decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: application.version), by: decider)
                approvers.append(decider)
            }
            try await run(.fulfil(applicationId: id, action: .affix(seal: "S101", impressions: 2, scan: nil), expectedVersion: application.version), by: "20010009")
            #expect(approvers.count >= 2)
            #expect(try RegistersProjection.uses(from: engine, seal: "S101").map(\.approvers) == [approvers])
        }
    }

    @Test("carving and abolition move the seal register; the letter stub and the loan ledger follow their stories")
    func otherStories() async throws {
        try await Self.withFixture("seal-carving.jsonl") { (engine: ProjectionEngine) throws in
            let carved = try RegistersProjection.seals(from: engine).first { $0.id == "A2026-000001-S1" }
            #expect(carved?.status == .active && carved?.custodian == "20010014")
        }
        try await Self.withFixture("seal-abolition.jsonl") { (engine: ProjectionEngine) throws in
            #expect(try RegistersProjection.seals(from: engine, status: .destroyed).map(\.id) == ["S103"])
        }
        try await Self.withFixture("letter.jsonl") { (engine: ProjectionEngine) throws in
            let letters = try RegistersProjection.letters(from: engine, at: FixtureScenarios.start + 365 * 86_400)
            #expect(letters.map(\.letter.number) == ["哈理工介字〔2026〕第0001号"] && letters.map(\.status) == [.returned])
        }
        try await Self.withFixture("certificate.jsonl") { (engine: ProjectionEngine) throws in
            let ledger = try RegistersProjection.certificates(from: engine)
            #expect(ledger.map(\.applicationId) == ["A2026-000001"])
            #expect(ledger.first?.lentAt != nil && ledger.first?.returnedAt != nil)
            #expect(ledger.first?.isOverdue(at: FixtureScenarios.start + 365 * 86_400) == false)
        }
    }

    @Test("a letter reads as expired after its days, and a loan as overdue past its due date, until returned")
    func expiryAndOverdue() async throws {
        try await QueuesTests.withSeededHall { processor, engine in
            func approve(_ id: String) async throws {
                while let decider = processor.withState({ $0.candidates(for: id).first }) {
                    let version = processor.withState { $0.applications[id]?.version ?? 0 }
                    _ = try await processor.execute(.decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: version), actor: decider)
                }
            }
            func fulfil(_ id: String, _ action: FulfilmentAction) async throws {
                let version = processor.withState { $0.applications[id]?.version ?? 0 }
                _ = try await processor.execute(.fulfil(applicationId: id, action: action, expectedVersion: version), actor: "20010003")
            }
            let letter = try #require(try await processor.execute(.submit(form: Cast.letter(validDays: 3), attachments: []), actor: "20010001").application?.id)
            try await approve(letter)
            try await fulfil(letter, .issue)
            let stub = try #require(try RegistersProjection.letters(from: engine, at: Date()).first)
            #expect(stub.status == .issued)
            #expect(try RegistersProjection.letters(from: engine, at: stub.letter.expiresAt + 1).first?.status == .expired)

            let now = Date()
            let form = Cast.certificate([.certificateOriginal], original: true, now: now)
            let loan = try #require(try await processor.execute(.submit(form: form, attachments: []), actor: "20010001").application?.id)
            try await approve(loan)
            try await fulfil(loan, .lend)
            let row = try #require(try RegistersProjection.certificates(from: engine).first)
            let due = try #require(row.dueBack)
            #expect(!row.isOverdue(at: due - 1) && row.isOverdue(at: due + 1))
            try await fulfil(loan, .returnOriginals(comment: "完好"))
            #expect(try RegistersProjection.certificates(from: engine).first?.isOverdue(at: due + 1) == false)
        }
    }
}
