import Foundation
import Testing
import TestSupport

@testable import Events

@Suite("The serial decider on the log")
struct CommandProcessorTests {
    /// 2026-12-31T23:00:00+08:00.
    static let newYearsEve = Date(timeIntervalSince1970: 1_798_729_200)

    /// A processor on a fresh log with the cast set up; `clock` gives the log's time.
    static func withProcessor<R>(
        clock: TestClock = TestClock(newYearsEve), _ body: (CommandProcessor) async throws -> R
    ) async throws -> R {
        try await withTemporaryLog(options: LogOptions(upcasters: EventCodec.upcasters, clock: clock.read)) { log in
            let processor = try await CommandProcessor.open(log: log)
            for (command, actor) in Cast.setup {
                _ = try await processor.execute(command, actor: actor)
            }
            return try await body(processor)
        }
    }

    static func version(_ processor: CommandProcessor, _ id: String) -> Int {
        processor.withState { $0.applications[id]?.version ?? 0 }
    }

    /// Submits a letter application and approves both of its steps.
    static func approvedLetter(_ processor: CommandProcessor, type: LetterType) async throws -> String {
        let submitted = try await processor.execute(.submit(form: Cast.letter(type: type), attachments: []), actor: Cast.applicant)
        let id = try #require(submitted.application?.id)
        for decider in [Cast.head, Cast.office] {
            _ = try await processor.execute(
                .decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: version(processor, id)),
                actor: decider)
        }
        return id
    }

    @Test("two approvers racing on one step: the first decision wins, the second gets a conflict")
    func racingApprovers() async throws {
        try await Self.withProcessor { processor in
            _ = try await processor.execute(
                .registerAccount(account: "O002", name: "第二审核人", departmentId: "D01", kind: .staff,
                    roles: [RoleGrant(role: .officeReviewer, scope: RoleGrant.schoolScope)]),
                actor: CommandContext.systemActor)
            for _ in 0..<10 {
                let submitted = try await processor.execute(.submit(form: Cast.letter(), attachments: []), actor: Cast.applicant)
                let id = try #require(submitted.application?.id)
                _ = try await processor.execute(.decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: 1), actor: Cast.head)
                let outcomes = await withTaskGroup(of: Result<CommandResult, any Error>.self) { group in
                    for reviewer in [Cast.office, "O002"] {
                        group.addTask {
                            do {
                                return .success(
                                    try await processor.execute(
                                        .decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: 2),
                                        actor: reviewer))
                            } catch {
                                return .failure(error)
                            }
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                let winners = outcomes.compactMap { try? $0.get() }
                let losers = outcomes.compactMap { outcome -> Rejection? in
                    if case .failure(let error) = outcome { return error as? Rejection } else { return nil }
                }
                #expect(winners.count == 1)
                #expect(losers == [.versionConflict(expected: 2, actual: 4)])
                #expect(winners.first?.application?.status == .approved)
            }
        }
    }

    @Test("200 letters issued at once, of two types, across a year boundary: every sequence is 1…n, no gap, no repeat")
    func letterSerials() async throws {
        let clock = TestClock(Self.newYearsEve)
        try await Self.withProcessor(clock: clock) { processor in
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<200 {
                    group.addTask { try await Self.approvedLetter(processor, type: index.isMultiple(of: 2) ? .party : .administrative) }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            // Half are issued before midnight in Beijing, half after; each wave all at once.
            clock.advance(by: 3599)
            for wave in [ids[..<100], ids[100...]] {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for id in wave {
                        group.addTask {
                            let result = try await processor.execute(
                                .fulfil(applicationId: id, action: .issue, expectedVersion: Self.version(processor, id)),
                                actor: Cast.office)
                            #expect(result.letter != nil && result.application?.status == .completed)
                        }
                    }
                    try await group.waitForAll()
                }
                clock.advance(by: 2)
            }
            let letters = processor.withState { Array($0.letters.values) }
            #expect(letters.count == 200)
            let sequences = Dictionary(grouping: letters) { "\($0.type.rawValue)-\($0.year)" }
            #expect(Set(sequences.keys) == ["party-2026", "administrative-2026", "party-2027", "administrative-2027"])
            for (key, group) in sequences {
                #expect(group.map(\.sequence).sorted() == Array(1...group.count), "\(key)")
            }
            #expect(Set(letters.map(\.number)).count == 200)
        }
    }

    @Test("the state kept in memory and in its table equals the state replayed from the log, and refusals append nothing")
    func replayEqualsIncremental() async throws {
        try await withTemporaryDirectory { directory in
            let options = LogOptions(upcasters: EventCodec.upcasters)
            let log = try EventLog(directory: directory, options: options)
            let processor = try await CommandProcessor.open(log: log)
            for (command, actor) in Cast.setup {
                _ = try await processor.execute(command, actor: actor)
            }
            let letter = try await Self.approvedLetter(processor, type: .party)
            _ = try await processor.execute(.fulfil(applicationId: letter, action: .issue, expectedVersion: Self.version(processor, letter)), actor: Cast.office)
            let use = try await processor.execute(.submit(form: Cast.sealUse([.contract], amount: 150_000, takeOut: true), attachments: [Cast.attachment]), actor: Cast.applicant)
            // Times finer than the log's microseconds: the state keeps them as the log does.
            let fine = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded() + 86_400.123_456_7)
            _ = try await processor.execute(.submit(form: Cast.certificate([.certificateOriginal], original: true, now: fine), attachments: []), actor: Cast.applicant)
            let head = log.head
            await #expect(throws: Rejection.self) {
                try await processor.execute(.decide(applicationId: use.application!.id, decision: .approve, comment: nil, expectedVersion: 1), actor: Cast.auditor)
            }
            #expect(log.head == head)
            let inMemory = processor.withState { $0 }
            let stored = try processor.wholeState()
            await log.close()

            let reopened = try EventLog(directory: directory, options: options)
            let replayed = try DeciderStateTableTests.replayed(reopened)
            #expect(stored == replayed)
            #expect(replayed.position == head.position)
            // The table holds every application; memory only the open ones, and a reopened decider no letter.
            #expect(replayed.applications.values.contains { $0.status.isTerminal })
            #expect(inMemory == DeciderStateTableTests.open(replayed))
            #expect(try await CommandProcessor.open(log: reopened).withState { $0 } == DeciderStateTableTests.open(replayed, restarted: true))
            await reopened.close()
        }
    }

    @Test("an idempotency key replays the first answer; reused for another command it is refused")
    func idempotency() async throws {
        try await Self.withProcessor { processor in
            let command = Command.submit(form: Cast.letter(), attachments: [])
            let first = try await processor.execute(command, actor: Cast.applicant, idempotencyKey: "submit-1")
            let head = processor.log.head
            let retry = try await processor.execute(command, actor: Cast.applicant, idempotencyKey: "submit-1")
            #expect(retry.isDuplicate && retry.positions == first.positions && retry.application?.id == first.application?.id)
            #expect(retry.events == first.events)
            #expect(processor.log.head == head)
            await #expect(throws: LogError.idempotencyKeyReused("submit-1")) {
                try await processor.execute(.submit(form: Cast.letter(important: true), attachments: []), actor: Cast.applicant, idempotencyKey: "submit-1")
            }
        }
    }

    @Test("every event carries the tags of every subject it concerns")
    func tags() async throws {
        try await Self.withProcessor { processor in
            let submitted = try await processor.execute(.submit(form: Cast.sealUse([.department]), attachments: [Cast.attachment]), actor: Cast.applicant)
            let id = try #require(submitted.application?.id)
            _ = try await processor.execute(.decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: 1), actor: Cast.head)
            let affixed = try await processor.execute(
                .fulfil(applicationId: id, action: .affix(seal: Cast.seal(.department), impressions: 1, scan: nil), expectedVersion: 3),
                actor: Cast.deptKeeper)
            let entry = try #require(try processor.log.entry(at: affixed.positions!.lowerBound))
            #expect(entry.type == "SealAffixed")
            #expect(Set(entry.tags).isSuperset(of: [
                "application:\(id)", "seal:\(Cast.seal(.department))", "account:\(Cast.applicant)",
                "account:\(Cast.deptKeeper)", "department:\(Cast.computing)",
            ]))
            let history = try processor.log.tagged("seal:\(Cast.seal(.department))").map(\.type)
            #expect(history == ["SealRegistered", "ApplicationSubmitted", "StepApproved", "ApplicationApproved", "SealAffixed", "ApplicationCompleted"])
        }
    }
}
