import Foundation
@testable import Projections
import Testing
import TestSupport

@testable import Events

@Suite("Step durations")
struct StepDurationsTests {
    /// The fixture stories move the clock ten minutes per command, so every decided step took 600 s.
    @Test("each decided step and each fulfilment is timed per kind; undecided ends are not counted")
    func fixtureDurations() async throws {
        for name in FixtureScenarios.names {
            try await RegistersTests.withFixture("\(name).jsonl") { (engine: ProjectionEngine) throws in
                let durations = try StepDurationsProjection.durations(from: engine)
                #expect(!durations.isEmpty, "\(name)")
                for duration in durations where duration.step != "fulfil" {
                    #expect(duration.count >= 1 && duration.totalSeconds == 600 * Double(duration.count), "\(name) \(duration)")
                    #expect(duration.maxSeconds == 600 && duration.withinHour == duration.count)
                }
            }
        }
        try await RegistersTests.withFixture("seal-use.jsonl") { (engine: ProjectionEngine) throws in
            let durations = try StepDurationsProjection.durations(from: engine)
            #expect(durations.map(\.step).sorted() == ["dept-head", "fulfil", "leader-approval", "legal-review", "office-review"])
            // Approved after the leader; then two seals each checked out, affixed and checked in: six commands.
            let fulfil = try #require(durations.first { $0.step == "fulfil" })
            #expect(fulfil.count == 1 && fulfil.totalSeconds == 6 * 600)
        }
        try await RegistersTests.withFixture("certificate.jsonl") { (engine: ProjectionEngine) throws in
            // The copies request was returned by its department head (counted) and then cancelled (nothing waits).
            let head = try #require(try StepDurationsProjection.durations(from: engine).first { $0.kind == .certificate && $0.step == "dept-head" })
            #expect(head.count == 2)
        }
    }

    @Test func histogramBuckets() {
        var duration = StepDuration(kind: .letter, step: "dept-head")
        for seconds: Double in [60, 3600, 3601, 86_400, 86_401, 259_200, 259_201] { duration.add(seconds) }
        #expect([duration.withinHour, duration.withinDay, duration.withinThreeDays, duration.longer] == [2, 2, 2, 1] as [Int])
        #expect(duration.count == 7)
        #expect(duration.maxSeconds == 259_201)
    }
}
