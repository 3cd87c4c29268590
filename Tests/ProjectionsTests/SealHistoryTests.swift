import Foundation
@testable import Projections
import Testing
import TestSupport

@testable import Events

@Suite("Seal history")
struct SealHistoryTests {
    /// The exported lines of a fixture that carry `tag`, in order: the oracle.
    static func tagged(_ tag: String, in file: String) throws -> [LogEntry] {
        try String(contentsOfFile: FixtureScenarios.fixturesDirectory + "/" + file, encoding: .utf8)
            .split(separator: "\n").map { try LogEntry(jsonLine: String($0)) }.filter { $0.tags.contains(tag) }
    }

    @Test("a seal's history is every entry tagged with it, in log order, cut at a position or a time")
    func history() async throws {
        try await withTemporaryDirectory { directory in
            let log = try await FixtureScenarios.importFixture("seal-use.jsonl", into: directory)
            let expected = try Self.tagged("seal:S101", in: "seal-use.jsonl")
            let rows = try SealHistory.rows(of: "S101", in: log)
            #expect(rows.map(\.type) == expected.map(\.type))
            #expect(rows.map(\.actor) == expected.map(\.actor))
            #expect(rows.first?.type == "SealRegistered" && rows.last?.type == "ApplicationCompleted")
            #expect(rows.filter { $0.type == "SealAffixed" }.count == 2, "the affixes of both seals of the application")
            #expect(rows.dropFirst().allSatisfy { $0.applicationId == "A2026-000001" })

            let firstAffix = try #require(rows.first { $0.type == "SealAffixed" })
            #expect(try SealHistory.rows(of: "S101", in: log, through: firstAffix.position).last == firstAffix)
            let affixTime = try #require(expected.first { $0.type == "SealAffixed" }?.recordedAt)
            #expect(try SealHistory.rows(of: "S101", in: log, asOf: affixTime).last?.type == "SealAffixed")
            #expect(try SealHistory.rows(of: "S101", in: log, asOf: affixTime.addingTimeInterval(-1)).last?.type == "SealCheckedOut")
            #expect(try SealHistory.rows(of: "S999", in: log).isEmpty)
            await log.close()
        }
    }

    @Test("exports: a JSON array, JSON lines, and CSV with quoted fields; times in Beijing time")
    func exports() async throws {
        try await withTemporaryDirectory { directory in
            let log = try await FixtureScenarios.importFixture("seal-use.jsonl", into: directory)
            let rows = try SealHistory.rows(of: "S005", in: log)
            await log.close()
            let array = try JSONSerialization.jsonObject(with: Data(try SealHistory.export(rows, as: .json).utf8)) as? [[String: Any]]
            #expect(array?.count == rows.count)
            #expect((array?.last?["data"] as? [String: Any])?["applicationId"] as? String == "A2026-000001")
            let lines = try SealHistory.export(rows, as: .jsonl).split(separator: "\n")
            #expect(lines.count == rows.count)
            #expect(try lines.allSatisfy { try JSONSerialization.jsonObject(with: Data($0.utf8)) is [String: Any] })
            let csv = try SealHistory.export(rows, as: .csv).components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(csv.first == "position,at,type,actor,applicationId,data,hash")
            #expect(csv.count == rows.count + 1)
            #expect(csv[1].contains(",\"{\"\"") && csv[1].hasSuffix(rows[0].hash))
            // The seed registered S005 at 2026-03-02T08:00:00+08:00 — 00:00 UTC — on the story's clock.
            #expect(rows.first?.at == "2026-03-02T08:00:00.000000+08:00")
        }
        #expect(SealHistory.csvField("plain") == "plain")
        #expect(SealHistory.csvField("a,\"b\"\nc") == "\"a,\"\"b\"\"\nc\"")
    }
}
