import Foundation
import Testing
import TestSupport

@testable import Events
@testable import Projections

@Suite("The read models' own store")
struct ReadModelStoreTests {
    static let options = LogOptions(upcasters: EventCodec.upcasters)
    /// A staff member of the seeds.
    static let applicant = "20010001"

    /// Opens the log in `directory` with every read model and the decider on it, seeded when new.
    static func withHall<R>(
        in directory: String, _ body: (EventLog, ProjectionEngine, CommandProcessor) async throws -> R
    ) async throws -> R {
        let log = try EventLog(directory: directory, options: options)
        let engine = try await ProjectionEngine(log: log, projections: ReadModels.all)
        let processor = try await CommandProcessor.open(log: log, observer: engine)
        if log.head.position == 0 { try await processor.load(Seeds(directory: FixtureScenarios.seedsDirectory)) }
        let result = try await body(log, engine, processor)
        await engine.close()
        await log.close()
        return result
    }

    /// Every read model's rows, by name.
    static func rows(_ engine: ProjectionEngine) throws -> [[[UInt8]: [UInt8]]] {
        try ReadModels.all.map { try PortalFiguresTests.rows(engine, $0.name) }
    }

    @Test("each command is answered once every read model shows it; concurrent commands share the read models' units")
    func answeredOnceShown() async throws {
        try await withTemporaryDirectory { directory in
            try await Self.withHall(in: directory) { log, engine, processor in
                let unitsBefore = engine.tables.writerCounts.units
                let commands = 200
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<commands {
                        group.addTask {
                            let form = Cast.letter(validDays: 1 + index % 30)
                            let result = try await processor.execute(.submit(form: form, attachments: []), actor: Self.applicant)
                            let position = try #require(result.positions?.upperBound)
                            for status in try engine.statuses() { #expect(status.position >= position, "\(status.name)") }
                            let id = try #require(result.application?.id)
                            let initiated = try QueuesProjection.queues(of: Self.applicant, from: engine).initiated
                            #expect(initiated.contains { $0.applicationId == id })
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(try PortalFiguresProjection.read(from: engine).figures.inProgress == commands)
                #expect(engine.tables.writerCounts.units - unitsBefore < commands)
                #expect(log.head.position > 0)
            }
        }
    }

    @Test("read models behind the log (commands recorded while they were closed) catch up when they open")
    func lagCaughtUpOnOpen() async throws {
        try await withTemporaryDirectory { directory in
            try await Self.withHall(in: directory) { _, _, processor in
                _ = try await processor.execute(.submit(form: Cast.letter(), attachments: []), actor: Self.applicant)
            }
            // The decider alone, as another process that has no read models would record.
            let log = try EventLog(directory: directory, options: Self.options)
            let decider = try await CommandProcessor.open(log: log)
            for _ in 0..<5 {
                _ = try await decider.execute(.submit(form: Cast.letter(), attachments: []), actor: Self.applicant)
            }
            await log.close()

            try await Self.withHall(in: directory) { log, engine, _ in
                #expect(try engine.statuses().allSatisfy { $0.position == log.head.position })
                #expect(try PortalFiguresProjection.read(from: engine).figures.inProgress == 6)
                let caughtUp = try Self.rows(engine)
                try await engine.rebuild(ReadModels.all.map(\.name))
                #expect(try Self.rows(engine) == caughtUp)
            }
        }
    }

    @Test("a batch's events are applied as the decider staged them, and only once the log's batch committed")
    func stagedEventsAppliedOnceCommitted() async throws {
        try await withTemporaryDirectory { directory in
            try await Self.withHall(in: directory) { log, engine, _ in
                // A decider that tells the read models nothing: the test stages its events by hand.
                let decider = try await CommandProcessor.open(log: log)
                let since: (String) throws -> Date? = { id in
                    try QueuesProjection.queues(of: Self.applicant, from: engine).initiated.first { $0.applicationId == id }?.since
                }
                // Staged an hour later than the log has them: were the log read back, the hour would not show.
                func staged(_ result: CommandResult, committed: Bool) async throws -> Date {
                    var events = result.events
                    events[0].recordedAt += 3600
                    let commit = BatchCommit()
                    engine.staged(events, committing: commit)
                    commit.resolve(committed: committed)
                    try await engine.committed(through: try #require(result.positions?.upperBound))
                    return events[0].recordedAt
                }

                let failed = try await decider.execute(.submit(form: Cast.letter(), attachments: []), actor: Self.applicant)
                _ = try await staged(failed, committed: false)
                #expect(try since(try #require(failed.application?.id)) == failed.events[0].recordedAt, "read from the log")

                let committed = try await decider.execute(.submit(form: Cast.letter(), attachments: []), actor: Self.applicant)
                let stagedAt = try await staged(committed, committed: true)
                #expect(try since(try #require(committed.application?.id)) == stagedAt, "applied as staged")
                #expect(try engine.statuses().allSatisfy { $0.position == log.head.position })
            }
        }
    }

    @Test("the read models an older store kept in the log's own environment are dropped from it")
    func oldTablesDropped() async throws {
        try await withTemporaryDirectory { directory in
            let log = try EventLog(directory: directory, options: Self.options)
            let old = ["projections", "portal-figures/a", "queues/b"]
            for table in old { try await log.createTable(table) }
            await log.close()
            try await Self.withHall(in: directory) { log, engine, _ in
                let dropped = try await log.dropTables(old)
                #expect(dropped.isEmpty)
                let figures = try PortalFiguresProjection.read(from: engine).figures
                #expect(figures.enteredItems == 21)
            }
        }
    }

    @Test("a store left unsynced under another boot is dropped and built again; one left in this boot is kept")
    func tornStoreDropped() async throws {
        try await withTemporaryDirectory { directory in
            let note = directory + "/read-models/unsynced-boot"
            let (rows, forged) = try await Self.withHall(in: directory) { _, engine, processor in
                _ = try await processor.execute(.submit(form: Cast.letter(), attachments: []), actor: Self.applicant)
                let rows = try Self.rows(engine)
                #expect(FileManager.default.fileExists(atPath: note), "noted before the first write")
                // A row no event made: it survives only as long as the store it was written into.
                let table = try engine.read("catalog") { _, table in table }
                try await engine.tables.transact { session in
                    try session.setTableValue(table, key: Array("forged".utf8), value: [1])
                }
                return (rows, table)
            }
            #expect(!FileManager.default.fileExists(atPath: note), "a clean close removes the note")
            let forgedRow: (ProjectionEngine) throws -> [UInt8]? = { engine in
                try engine.tables.readTables { try $0.value(forged, key: Array("forged".utf8)) }
            }

            // Left by a process that died in this boot: the page cache held every write, so the store is whole.
            try Data(try ReadModelStore.bootId().utf8).write(to: URL(fileURLWithPath: note))
            try await Self.withHall(in: directory) { _, engine, _ in
                let row = try forgedRow(engine)
                #expect(row == [1])
            }

            // Left unsynced before the machine restarted: it may be torn, so it is built again from the log.
            try Data("another-boot".utf8).write(to: URL(fileURLWithPath: note))
            try await Self.withHall(in: directory) { log, engine, _ in
                let row = try forgedRow(engine)
                #expect(row == nil)
                #expect(try Self.rows(engine) == rows)
                #expect(try engine.statuses().allSatisfy { $0.position == log.head.position })
            }
        }
    }
}
