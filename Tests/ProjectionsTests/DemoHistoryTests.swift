import Foundation
import Projections
import Testing
import TestSupport

@testable import Events

@Suite("Demo history")
struct DemoHistoryTests {
    /// Plays a demo history on a fresh seeded store; returns the figures, the state's own figures, and what the log
    /// recorded (type, stream, actor of each entry).
    static func play(seed: UInt64, applications: Int) async throws -> (PortalFigures, PortalFigures, [String]) {
        try await withTemporaryLog(options: LogOptions(upcasters: EventCodec.upcasters)) { (log: EventLog) async throws in
            let engine = try await ProjectionEngine(log: log, projections: ReadModels.all)
            let processor = try await CommandProcessor.open(log: log, observer: engine)
            try await processor.load(Seeds(directory: FixtureScenarios.seedsDirectory))
            try await DemoHistory(seed: seed, applications: applications).play(on: processor)
            var recorded = [String]()
            try log.forEachEntry(from: 1) { recorded.append("\($0.type) \($0.stream) \($0.actor)") }
            return (try PortalFiguresProjection.read(from: engine).figures, try PortalFiguresTests.expected(from: processor.wholeState()), recorded)
        }
    }

    @Test("1,578 applications give the real hall's figures: 1,254 in progress, 324 completed")
    func realFigures() async throws {
        let (figures, expected, _) = try await Self.play(seed: 2026, applications: 1578)
        #expect(figures.inProgress == 1254 && figures.completed == 324 && figures.total == 1578)
        #expect(figures == expected)
    }

    @Test("the same seed plays the same history; another seed another")
    func deterministic() async throws {
        let first = try await Self.play(seed: 7, applications: 120).2
        let again = try await Self.play(seed: 7, applications: 120).2
        let other = try await Self.play(seed: 8, applications: 120).2
        #expect(first == again)
        #expect(first != other)
    }
}
