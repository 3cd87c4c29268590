import Foundation
import Projections
import Testing
import TestSupport

@testable import Events

@Suite("Rebuilding projections")
struct RebuildTests {
    /// The same projection under another version number, as after a change of its code.
    struct Versioned: Projection {
        let base: PortalFiguresProjection
        let version: Int
        var name: String { base.name }

        func apply<Store: ProjectionRows>(_ event: RecordedEvent, to store: inout Store) throws {
            try base.apply(event, to: &store)
        }
    }

    @Test("a random 100,000-event history: every read model's rows kept incrementally equal its rows rebuilt from scratch")
    func randomHistory() async throws {
        var world = World()
        let commandsInHistory = try RandomCommands.history(events: 100_000, seed: 100_000, in: &world)
        let count = commandsInHistory.reduce(0) { $0 + $1.events.count }
        try await withTemporaryLog { (log: EventLog) async throws in
            let engine = try await ProjectionEngine(log: log, projections: ReadModels.all)
            for chunk in stride(from: 0, to: commandsInHistory.count, by: 2000) {
                let part = commandsInHistory[chunk..<min(chunk + 2000, commandsInHistory.count)]
                try await log.transact { session in
                    for (events, actor) in part {
                        _ = try session.append(try events.map { try EventCodec.newEvent($0) }, actor: actor, commandId: "history")
                    }
                }
                try await engine.committed(through: log.head.position)
            }
            #expect(log.head.position == UInt64(count))
            let (figures, _) = try PortalFiguresProjection.read(from: engine)
            #expect(figures == PortalFiguresTests.expected(from: world.state))
            #expect(figures.completed > 1000 && figures.inProgress > 1000)
            let names = ReadModels.all.map(\.name)
            let incremental = try names.map { try PortalFiguresTests.rows(engine, $0) }
            #expect(incremental.allSatisfy { !$0.isEmpty })
            try await engine.rebuild(names)
            for (name, rows) in zip(names, incremental) {
                #expect(try PortalFiguresTests.rows(engine, name) == rows, "\(name)")
            }
            await engine.close()
        }
    }

    @Test("a rebuild running while commands keep arriving ends with a model that includes every one of them")
    func rebuildUnderLoad() async throws {
        try await withTemporaryLog(options: LogOptions(upcasters: EventCodec.upcasters)) { (log: EventLog) async throws in
            let engine = try await ProjectionEngine(log: log, projections: [PortalFiguresProjection()])
            let processor = try await CommandProcessor.open(log: log, observer: engine)
            for (command, actor) in Cast.setup {
                _ = try await processor.execute(command, actor: actor)
            }
            let submit = { @Sendable (count: Int) async throws in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<count {
                        group.addTask {
                            let form = Cast.letter(validDays: 1 + index % 30)
                            _ = try await processor.execute(.submit(form: form, attachments: []), actor: Cast.applicant)
                        }
                    }
                    try await group.waitForAll()
                }
            }
            try await submit(6000)
            let rebuildSeen = LockedValue<[UInt64]>([])
            async let rebuilt = engine.rebuild("portal-figures") { done, total in
                rebuildSeen.update { $0.append(total) }
            }
            try await submit(2000)
            _ = try await rebuilt
            let totals = rebuildSeen.update { $0 }
            #expect(totals.count > 1, "the rebuild ran in more than one chunk")
            let (figures, position) = try PortalFiguresProjection.read(from: engine)
            #expect(figures.total == 8000 && figures.inProgress == 8000)
            #expect(try figures == PortalFiguresTests.expected(from: processor.wholeState()))
            #expect(position == log.head.position)
            await engine.close()
        }
    }

    @Test("a projection stored at another version is served as it was until its rebuild swaps the new rows in")
    func versionChange() async throws {
        try await withTemporaryDirectory { directory in
            let options = LogOptions(upcasters: EventCodec.upcasters)
            let log = try EventLog(directory: directory, options: options)
            let engine = try await ProjectionEngine(log: log, projections: [PortalFiguresProjection()])
            let processor = try await CommandProcessor.open(log: log, observer: engine)
            try await processor.load(Seeds(directory: FixtureScenarios.seedsDirectory))
            let before = try PortalFiguresProjection.read(from: engine).figures
            await engine.close()
            await log.close()

            let reopened = try EventLog(directory: directory, options: options)
            let stored = PortalFiguresProjection().version
            let changed = try await ProjectionEngine(
                log: reopened, projections: [Versioned(base: PortalFiguresProjection(), version: stored + 1)])
            #expect(try changed.stale == ["portal-figures"])
            #expect(try changed.statuses().map(\.version) == [stored])
            #expect(try PortalFiguresProjection.read(from: changed).figures == before)
            let progress = LockedValue<[UInt64]>([])
            let rebuilt = try await changed.rebuildStale { _, done, _ in progress.update { $0.append(done) } }
            #expect(rebuilt == ["portal-figures"])
            #expect(progress.update { $0 }.last == reopened.head.position)
            #expect(try changed.stale.isEmpty)
            let status = try #require(try changed.statuses().first)
            #expect(status.version == stored + 1 && status.position == reopened.head.position && status.status == "live")
            #expect(status.rebuild == nil)
            #expect(try PortalFiguresProjection.read(from: changed).figures == before)
            await changed.close()
            await reopened.close()
        }
    }
}
