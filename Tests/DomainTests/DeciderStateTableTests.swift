import Foundation
import Synchronization
import Testing
import TestSupport

@testable import Events

@Suite("The decider's state table beside the log")
struct DeciderStateTableTests {
    /// The state a replay of the whole log gives.
    static func replayed(_ log: EventLog) throws -> HallState {
        var state = HallState()
        try log.forEachEntry(from: 1) { state.evolve(by: try CommandProcessor.recorded(from: $0)) }
        return state
    }

    /// `state` without its finished applications: what the decider keeps in memory — without letters too, after
    /// a restart (it reads a letter when a command or a view names one).
    static func open(_ state: HallState, restarted: Bool = false) -> HallState {
        var open = state
        open.applications = state.applications.filter { !$0.value.status.isTerminal }
        if restarted { open.letters = [:] }
        return open
    }

    /// A seeded store with a demo history of every kind and outcome played on it.
    static func withHistory(_ body: (EventLog, CommandProcessor) async throws -> Void) async throws {
        try await withTemporaryLog(options: LogOptions(upcasters: EventCodec.upcasters)) { log in
            let processor = try await CommandProcessor.open(log: log)
            try await processor.load(Seeds(directory: FixtureScenarios.seedsDirectory))
            try await DemoHistory(seed: 5, applications: 300).play(on: processor)
            try await body(log, processor)
        }
    }

    @Test("kept up command by command, the table holds what a replay gives; memory holds only the open applications")
    func incrementalEqualsReplay() async throws {
        try await Self.withHistory { log, processor in
            let replayed = try Self.replayed(log)
            #expect(replayed.applications.values.contains { $0.status.isTerminal })
            #expect(replayed.applications.values.contains { !$0.status.isTerminal })
            #expect(try processor.wholeState() == replayed)
            // Times from commands (due dates, effective dates) kept finer than the log keeps them would differ.
            #expect(processor.withState { $0 } == Self.open(replayed))
            let headlines = try processor.headlines().sorted(by: ApplicationHeadline.newerFirst)
            #expect(headlines == replayed.applications.values.map(ApplicationHeadline.init).sorted(by: ApplicationHeadline.newerFirst))
            for application in replayed.applications.values {
                #expect(try processor.headline(application.id) == ApplicationHeadline(application))
            }
        }
        for name in FixtureScenarios.names {
            let clock = TestClock(FixtureScenarios.start)
            try await withTemporaryLog(options: FixtureScenarios.options(clock)) { log in
                let processor = try await CommandProcessor.open(log: log)
                try await FixtureScenarios.play(name, with: processor, clock: clock)
                #expect(try processor.wholeState() == Self.replayed(log), "\(name)")
            }
        }
    }

    @Test("applications are stored by hand exactly as their Codable form, and read back the same")
    func applicationRows() async throws {
        try await Self.withHistory { log, _ in
            let applications = try Self.replayed(log).applications.values
            #expect(applications.contains { $0.currentStep == nil } && applications.contains { $0.currentStep != nil })
            #expect(applications.contains { $0.fulfilment.letterSerial != nil })
            #expect(applications.contains { !$0.fulfilment.affixed.isEmpty })
            for application in applications {
                let bytes = try BinaryEncoder().encode(application)
                #expect(try bytes == BinaryEncoder().encodeThroughCodable(application), "\(application.id)")
                #expect(try BinaryDecoder().decode(Application.self, from: bytes) == application)
                #expect(try BinaryDecoder().decodeThroughCodable(Application.self, from: bytes) == application)
            }
        }
    }

    @Test("the table's position and counters are written by hand as their Codable form")
    func metaAndCounters() throws {
        let meta = DeciderStateTable.Meta(version: DeciderStateTable.version, position: 1_011_169)
        let counters = DeciderStateTable.Counters(
            letterSequences: ["administrative-2026": 11, "party-2026": 3, "party-2027": 1], applicationNumbers: ["2026": 300])
        var writer = BinaryWriter()
        meta.write(to: &writer)
        #expect(try writer.bytes == BinaryEncoder().encodeThroughCodable(meta))
        #expect(try BinaryDecoder().decode(DeciderStateTable.Meta.self, from: writer.bytes) == meta)
        writer = BinaryWriter()
        counters.write(to: &writer)
        #expect(try BinaryDecoder().decode(DeciderStateTable.Counters.self, from: writer.bytes) == counters)
    }

    @Test("a finished application is read from the table, and a command naming it is decided on it")
    func finishedApplications() async throws {
        try await Self.withHistory { log, processor in
            let finished = try #require(try Self.replayed(log).applications.values.first { $0.status == .completed })
            #expect(processor.withState { $0.applications[finished.id] } == nil)
            #expect(try processor.application(finished.id) == finished)
            let head = log.head
            await #expect(throws: Rejection.invalidTransition("只有被退回或已撤回的办件可以重新提交")) {
                try await processor.execute(
                    .resubmit(applicationId: finished.id, form: finished.form, attachments: [], expectedVersion: finished.version),
                    actor: finished.applicant)
            }
            #expect(log.head == head)
            #expect(try processor.application("A2026-999999") == nil)
        }
    }

    @Test("a table of another version, or behind the log, is written anew from the log when the decider opens")
    func rebuiltWhenStale() async throws {
        try await withTemporaryDirectory { directory in
            let options = LogOptions(upcasters: EventCodec.upcasters)
            var log = try EventLog(directory: directory, options: options)
            let processor = try await CommandProcessor.open(log: log)
            try await processor.load(Seeds(directory: FixtureScenarios.seedsDirectory))
            try await DemoHistory(seed: 9, applications: 60).play(on: processor)
            let expected = try Self.replayed(log)
            try await log.transact { session in
                let old = DeciderStateTable.Meta(version: DeciderStateTable.version - 1, position: session.headPosition)
                try session.setTableValue(DeciderStateTable.name, key: DeciderStateTable.metaKey, value: BinaryEncoder().encode(old))
                try session.setTableValue(DeciderStateTable.name, key: Array("seal:forged".utf8), value: [0])
            }
            await log.close()

            log = try EventLog(directory: directory, options: options)
            let reopened = try await CommandProcessor.open(log: log)
            #expect(try reopened.wholeState() == expected)
            #expect(reopened.withState { $0 } == Self.open(expected, restarted: true))
            // A letter comes back into memory when a view asks for it.
            let issued = try #require(expected.applications.values.first { $0.fulfilment.letterSerial != nil })
            try reopened.loadLetter(of: issued)
            #expect(reopened.withState { Array($0.letters.values) } == [expected.letters[issued.fulfilment.letterSerial!]!])
            // A command naming a letter not in memory reads it from the table first.
            let other = try #require(expected.letters.values.first { $0.serial != issued.fulfilment.letterSerial && $0.status == .issued })
            let returned = try await reopened.execute(.returnLetter(serial: other.serial, comment: "未使用"), actor: "20010003")
            #expect(returned.events.map(\.event) == [.letterReturnedUnused(LetterChanged(serial: other.serial, by: "20010003", comment: "未使用"))])
            #expect(try reopened.wholeState() == Self.replayed(log))
            #expect(try reopened.wholeState().letters[other.serial]?.status == .returned)
            let meta = try log.readTables { try $0.value(DeciderStateTable.name, key: DeciderStateTable.metaKey) }
            #expect(try meta.map { try BinaryDecoder().decode(DeciderStateTable.Meta.self, from: $0) }
                == DeciderStateTable.Meta(version: DeciderStateTable.version, position: expected.position + 1))
            await log.close()
        }
    }

    struct Failure: Error {}

    @Test("a unit that fails after the state changed leaves no trace: the next command starts from the table")
    func failedUnit() async throws {
        try await withTemporaryLog(options: LogOptions(upcasters: EventCodec.upcasters)) { log in
            let seeding = try await CommandProcessor.open(log: log)
            try await seeding.load(Seeds(directory: FixtureScenarios.seedsDirectory))
            let processor = try await CommandProcessor.open(log: log)
            let head = log.head
            let form = Cast.letter(validDays: 7)
            // `alongside` runs after the events are appended and evolved into the state.
            await #expect(throws: Failure.self) {
                try await processor.execute(.submit(form: form, attachments: []), actor: "20010001") { _ in throw Failure() }
            }
            #expect(log.head == head)
            let submitted = try await processor.execute(.submit(form: form, attachments: []), actor: "20010001")
            #expect(submitted.application?.version == 1)
            #expect(try processor.wholeState() == Self.replayed(log))
            #expect(processor.withState { $0 } == Self.open(try Self.replayed(log), restarted: true))
        }
    }
}
