import Foundation
import Projections
import Testing
import TestSupport

@testable import Events

@Suite("Portal figures")
struct PortalFiguresTests {
    /// The figures computed straight from the write model's state: the oracle the projection must match.
    static func expected(from state: HallState) -> PortalFigures {
        var figures = PortalFigures()
        let live = state.items.values.filter { !$0.withdrawn }
        figures.enteredItems = live.count
        figures.onlineItems = live.filter(\.online).count
        figures.departments = Set(live.map(\.departmentId)).count
        figures.inProgress = state.applications.values.filter { !$0.status.isTerminal }.count
        figures.completed = state.applications.values.filter { $0.status.isTerminal }.count
        figures.total = state.applications.count
        return figures
    }

    /// Every row the served table of `name` holds.
    static func rows(_ engine: ProjectionEngine, _ name: String) throws -> [[UInt8]: [UInt8]] {
        try engine.read(name) { reader, table in
            var rows = [[UInt8]: [UInt8]]()
            try reader.forEach(table) { key, value in
                rows[key] = value
                return true
            }
            return rows
        }
    }

    @Test("each fixture story keeps the figures equal to the state's, a row per application in progress, and rebuilds give the same rows",
        arguments: FixtureScenarios.names)
    func fixtures(name: String) async throws {
        try await withTemporaryDirectory { directory in
            let clock = TestClock(FixtureScenarios.start)
            let log = try EventLog(directory: directory, options: FixtureScenarios.options(clock))
            let engine = try await ProjectionEngine(log: log, projections: ReadModels.all)
            let processor = try await CommandProcessor.open(log: log, observer: engine)
            try await FixtureScenarios.play(name, with: processor, clock: clock)
            let (figures, position) = try PortalFiguresProjection.read(from: engine)
            #expect(try figures == Self.expected(from: processor.wholeState()))
            #expect(position == log.head.position)
            // A row per application in progress; a finished one's is gone.
            let applicationRows = try Self.rows(engine, "portal-figures").keys.filter { $0.starts(with: Array("application/".utf8)) }
            #expect(applicationRows.count == figures.inProgress)
            // Kept up to date, every read model reflects the head once the last command is answered.
            #expect(try engine.statuses().allSatisfy { $0.position == log.head.position })
            for projection in ReadModels.all.map(\.name) {
                let incremental = try Self.rows(engine, projection)
                try await engine.rebuild(projection)
                #expect(try Self.rows(engine, projection) == incremental, "\(projection)")
            }
            #expect(try engine.statuses().allSatisfy { $0.position == log.head.position })
            await engine.close()
            await log.close()
        }
    }

    @Test("the seeded hall shows its catalog's figures: 21 items entered, 11 online, 7 departments, 52.4 %")
    func seededFigures() async throws {
        try await withTemporaryLog(options: LogOptions(upcasters: EventCodec.upcasters)) { (log: EventLog) async throws in
            let engine = try await ProjectionEngine(log: log, projections: [PortalFiguresProjection()])
            let processor = try await CommandProcessor.open(log: log, observer: engine)
            try await processor.load(Seeds(directory: FixtureScenarios.seedsDirectory))
            let figures = try PortalFiguresProjection.read(from: engine).figures
            #expect(figures.enteredItems == 21 && figures.onlineItems == 11 && figures.departments == 7)
            #expect(figures.onlinePercent == 52.4)
            #expect(figures.total == 0)
        }
    }
}
