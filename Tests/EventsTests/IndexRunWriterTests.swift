import CLMDB
import Foundation
import Testing
import TestSupport

@testable import Events

/// Index runs written a slice per commit: reads stay exact while a run is half written, slices left by a crash
/// or disturbed by another process are cleared and the run written again, and runs fall at the same places
/// for the same commits.
@Suite("Index runs written in slices")
struct IndexRunWriterTests {
    typealias History = LogReadingTests.History

    /// Appends random batches (as `LogReadingTests.appendHistory` does) until `count` entries, calling `after`
    /// with the history so far after each batch.
    static func append(
        _ count: Int, to log: EventLog, seed: UInt64, history: inout History, after: (History) throws -> Void = { _ in }
    ) async throws {
        var random = SplitMix64(seed: seed)
        let target = history.entries.count + count
        while history.entries.count < target {
            var events = [(event: NewEvent, label: String)]()
            for _ in 0..<Int.random(in: 1...40, using: &random) {
                let tags = (0..<Int.random(in: 0...4, using: &random)).map { _ in "tag-\(Int.random(in: 0..<30, using: &random))" }
                let label = "e\(history.entries.count + events.count)"
                events.append((event("stream-\(Int.random(in: 0..<40, using: &random))", label, tags: tags), label))
            }
            let result = try await log.append(request(events.map(\.event)))
            for ((event, label), position) in zip(events, result.positions) {
                history.entries.append((position, event.stream, event.tags, label, 0))
            }
            try after(history)
        }
    }

    static func catalogue(of log: EventLog) throws -> [IndexRuns.Run] {
        try log.environment.read { try IndexRuns.stored(in: $0, databases: log.databases)?.runs ?? [] }
    }

    static func isWriting(_ log: EventLog) -> Bool {
        if case .writing = log.index.runWriter.current { return true }
        return false
    }

    @Test("reads are exact while a run is half written, and every run is catalogued whole")
    func halfWrittenRuns() async throws {
        try await withTemporaryLog(options: LogOptions(indexRunEntries: 2_500, indexSlicePostings: 500)) { (log: EventLog) async throws in
            var history = History()
            var halfWritten = 0
            try await Self.append(6_000, to: log, seed: 1, history: &history) { history in
                guard Self.isWriting(log) else { return }
                halfWritten += 1
                if halfWritten % 3 == 1 { try LogIndexTests.expectReads(of: log, match: history, "half written") }
            }
            #expect(halfWritten >= 2, "a run of 2,500 entries takes more than one slice")
            let runs = try Self.catalogue(of: log)
            #expect(runs.count == 2 && runs.allSatisfy { $0.last - $0.first + 1 >= 2_500 })
            #expect(zip(runs, runs.dropFirst()).allSatisfy { $0.last + 1 == $1.first } && runs.first?.first == 1)
            let covered = runs.last?.last ?? 0
            let postings = history.entries.filter { $0.position <= covered }.map { 1 + Set($0.tags).count }.reduce(0, +)
            let stored = try log.statistics().indexPostings
            #expect(Self.isWriting(log) ? stored > postings : stored == postings)
            try LogIndexTests.expectReads(of: log, match: history, "end")
        }
    }

    @Test("the same commits give the same runs")
    func deterministic() async throws {
        var catalogues = [[IndexRuns.Run]]()
        for _ in 0..<2 {
            try await withTemporaryLog(options: LogOptions(indexRunEntries: 300)) { (log: EventLog) async throws in
                var history = History()
                try await Self.append(5_000, to: log, seed: 2, history: &history)
                catalogues.append(try Self.catalogue(of: log))
            }
        }
        #expect(catalogues[0].count >= 14)
        #expect(catalogues[0] == catalogues[1])
    }

    @Test("slices of runs nobody catalogued, as a crash leaves them, are deleted when the log opens")
    func crashLeftovers() async throws {
        try await withTemporaryDirectory { directory in
            var history = History()
            let log = try EventLog(directory: directory, options: LogOptions(indexRunEntries: 100_000))
            try await Self.append(3_000, to: log, seed: 3, history: &history)
            // Postings under the next run id and a later one, as a writer killed mid-run leaves them.
            try log.environment.write { transaction in
                for id: UInt32 in [1, 7] {
                    for number: UInt64 in 1...50 {
                        try IndexRuns.key(run: id, .tag("tag-1"), number).withUnsafeBytes { key in
                            try transaction.put(log.databases.postings, key: key, value: UnsafeRawBufferPointer(start: nil, count: 0))
                        }
                    }
                }
            }
            await log.close()

            let reopened = try EventLog(directory: directory, options: LogOptions(indexRunEntries: 500))
            #expect(try reopened.statistics().indexPostings == 0)
            try await Self.append(1_000, to: reopened, seed: 4, history: &history)
            let runs = try Self.catalogue(of: reopened)
            #expect(runs.count >= 2 && runs.first?.id == 1 && runs.first?.first == 1)
            try LogIndexTests.expectReads(of: reopened, match: history, "after leftovers")
            await reopened.close()
        }
    }

    @Test("a run whose slices another process deleted is prepared and written again")
    func disturbedSlices() async throws {
        try await withTemporaryLog(options: LogOptions(indexRunEntries: 2_500, indexSlicePostings: 500)) { (log: EventLog) async throws in
            var history = History()
            var disturbed: UInt32?
            try await Self.append(6_000, to: log, seed: 5, history: &history) { _ in
                guard disturbed == nil, case .writing(_, let id, _, _) = log.index.runWriter.current else { return }
                // What opening the store in another process does to this writer's uncatalogued slices.
                try log.environment.write { try PreparedRun.delete(runs: id..<id + 1, in: $0, databases: log.databases) }
                disturbed = id
            }
            #expect(disturbed != nil)
            let runs = try Self.catalogue(of: log)
            #expect(runs.count == 2 && runs.first?.first == 1 && runs[0].last + 1 == runs[1].first)
            try LogIndexTests.expectReads(of: log, match: history, "after a disturbed run")
            #expect(try log.verify().ok)
        }
    }
}
