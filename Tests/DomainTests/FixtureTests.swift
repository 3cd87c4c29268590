import Foundation
import Testing
import TestSupport

@testable import Events

@Suite("Fixtures")
struct FixtureTests {
    /// What a fixture's expected end state names: every application, the seals the story touches, every letter
    /// stub, and every row of the 用印登记簿.
    struct EndState: Codable, Equatable {
        struct ApplicationSummary: Codable, Equatable {
            var status: ApplicationStatus
            var steps: [StepID]
            var decidedBy: [String]
        }

        struct SealSummary: Codable, Equatable {
            var status: SealStatus
            var uses: Int
            var custodian: String?
        }

        struct LetterSummary: Codable, Equatable {
            var number: String
            var status: LetterStatus
        }

        struct UseRow: Codable, Equatable {
            var seal: String
            var applicationId: String
            var impressions: Int
            var by: String
        }

        var applications: [String: ApplicationSummary]
        var seals: [String: SealSummary]
        var letters: [String: LetterSummary]
        var sealUses: [UseRow]
    }

    static func file(_ name: String, _ suffix: String) -> URL {
        URL(fileURLWithPath: FixtureScenarios.fixturesDirectory).appendingPathComponent(name + suffix)
    }

    @Test("each scenario, played again, exports exactly the committed log", arguments: FixtureScenarios.names)
    func goldenLogs(name: String) async throws {
        let lines = try await withTemporaryDirectory { try await FixtureScenarios.play(name, in: $0) }
        let exported = lines.joined(separator: "\n") + "\n"
        let url = Self.file(name, ".jsonl")
        if ProcessInfo.processInfo.environment["SEALHALL_UPDATE_FIXTURES"] == "1" {
            try exported.write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == exported, "run with SEALHALL_UPDATE_FIXTURES=1 to rewrite")
    }

    @Test("replaying each fixture log reproduces its expected end state; the older-schema log is upcast to the same",
        arguments: FixtureScenarios.names + ["seal-use.v1"])
    func replay(name: String) throws {
        var state = HallState()
        var uses = [EndState.UseRow]()
        for line in try String(contentsOf: Self.file(name, ".jsonl"), encoding: .utf8).split(separator: "\n") {
            let recorded = try CommandProcessor.recorded(from: LogEntry(jsonLine: String(line)))
            if case .sealAffixed(let row) = recorded.event {
                uses.append(EndState.UseRow(seal: row.seal, applicationId: row.applicationId, impressions: row.impressions, by: row.by))
            }
            state.evolve(by: recorded)
        }
        let story = name.replacingOccurrences(of: ".v1", with: "")
        let expected = try JSONDecoder().decode(EndState.self, from: Data(contentsOf: Self.file(story, ".expected.json")))
        let actual = EndState(
            applications: Dictionary(uniqueKeysWithValues: state.applications.map { id, application in
                (id, EndState.ApplicationSummary(
                    status: application.status, steps: application.route.map(\.step),
                    decidedBy: application.route.compactMap(\.decidedBy)))
            }),
            seals: expected.seals.keys.reduce(into: [:]) { seals, id in
                seals[id] = state.seals[id].map { EndState.SealSummary(status: $0.status, uses: $0.uses, custodian: $0.custodian) }
            },
            letters: state.letters.mapValues { EndState.LetterSummary(number: $0.number, status: $0.status) },
            sealUses: uses)
        #expect(actual == expected)
    }
}
