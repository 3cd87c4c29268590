import CLMDB
import Foundation
import Testing
import TestSupport

@testable import Events

/// The stream and tag indexes: runs in LMDB and the tail in memory must read as one index, whatever the split.
@Suite("Index runs")
struct LogIndexTests {
    typealias History = LogReadingTests.History

    /// Every tag's and stream's reads, and each stream's version, against the history appended.
    static func expectReads(of log: EventLog, match history: History, _ context: String) throws {
        for tag in (0..<30).map({ "tag-\($0)" }) {
            let expected = history.entries.filter { $0.tags.contains(tag) }.map(\.label)
            #expect(try log.tagged(tag).map(label) == expected, "\(context): tag \(tag)")
        }
        for stream in (0..<40).map({ "stream-\($0)" }) {
            let expected = history.entries.filter { $0.stream == stream }.map(\.label)
            #expect(try log.stream(stream).map(label) == expected, "\(context): stream \(stream)")
            #expect(try log.version(of: stream) == UInt64(expected.count), "\(context): version of \(stream)")
        }
    }

    @Test("reads are the same from runs, from the tail, and after reopening with another run size")
    func runsAndTail() async throws {
        try await withTemporaryDirectory { directory in
            let clock = TestClock()
            let log = try EventLog(directory: directory, options: LogOptions(clock: clock.read, indexRunEntries: 97))
            let history = try await LogReadingTests.appendHistory(to: log, clock: clock)
            let runs = try log.environment.read { try IndexRuns.stored(in: $0, databases: log.databases) }
            let covered = try #require(runs?.indexedThrough)
            #expect(covered > 4000 && covered < 5100, "most entries are in runs, the rest in the tail")
            #expect(try #require(runs).runs.allSatisfy { $0.last - $0.first + 1 >= 97 })
            let statistics = try log.statistics()
            #expect(statistics.indexRuns == runs?.runs.count && statistics.indexedThrough == covered)
            // Each indexed entry holds one stream posting and one per distinct tag.
            let expectedPostings = history.entries.filter { $0.position <= covered }.map { 1 + Set($0.tags).count }.reduce(0, +)
            #expect(statistics.indexPostings == expectedPostings)
            try Self.expectReads(of: log, match: history, "live")
            await log.close()

            for runEntries in [97, 100_000, 5] {
                let reopened = try EventLog(directory: directory, options: LogOptions(indexRunEntries: runEntries))
                try Self.expectReads(of: reopened, match: history, "reopened with runs of \(runEntries)")
                await reopened.close()
            }
        }
    }

    @Test("appending under expected versions works across a new run and after reopening")
    func versionsAcrossRuns() async throws {
        try await withTemporaryDirectory { directory in
            let options = LogOptions(indexRunEntries: 4)
            for round in 0..<3 {
                let log = try EventLog(directory: directory, options: options)
                for step in 0..<5 {
                    let version = UInt64(round * 5 + step)
                    _ = try await log.append(request([event("s", "e\(version)")], expecting: ["s": .exactly(version)]))
                    await #expect(throws: LogError.self) {
                        try await log.append(request([event("s", "stale")], expecting: ["s": .exactly(version)]))
                    }
                }
                #expect(try log.stream("s").map(\.streamVersion) == Array(1...UInt64(round * 5 + 5)))
                await log.close()
            }
        }
    }

    @Test("a reader whose snapshot the tail does not match reads the entries instead")
    func staleTail() async throws {
        let clock = TestClock()
        let options = LogOptions(clock: clock.read, indexRunEntries: 300)
        try await withTemporaryLog(options: options) { (log: EventLog) async throws in
            let history = try await LogReadingTests.appendHistory(to: log, clock: clock)
            let (base, through) = log.index.tail.bounds
            let tailEntries = log.index.tail.entries
            try #require(tailEntries.count >= 7 && base > 0)

            // As just after a commit, before the writer added it to the tail.
            log.index.tail.reset(base: base, through: through - 7, entries: tailEntries.dropLast(7).map { $0 })
            try Self.expectReads(of: log, match: history, "tail behind the head")
            // As just after a new run committed, before the writer emptied the tail.
            log.index.tail.reset(base: base - 1, through: through, entries: [])
            try Self.expectReads(of: log, match: history, "tail from an older run")
        }
    }

    @Test("a store written before index runs drops its old indexes and gets runs when it opens")
    func migration() async throws {
        try await withTemporaryDirectory { directory in
            let clock = TestClock()
            let log = try EventLog(directory: directory, options: LogOptions(clock: clock.read))
            let history = try await LogReadingTests.appendHistory(to: log, clock: clock)
            await log.close()

            // Turn the store into one of the earlier layout: no runs, a composite-key `tags` index.
            let environment = try LMDBEnvironment(path: directory, mapSize: 64 << 20, maxDatabases: 16, maxReaders: 8)
            try environment.write { transaction in
                let databases = try LogDatabases(opening: environment, in: transaction)
                try lmdbCheck(mdb_drop(transaction.handle, databases.postings, 0))
                try IndexRuns.catalogueKey.withUnsafeBytes { key in
                    var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
                    try lmdbCheck(mdb_del(transaction.handle, databases.meta, &keyValue, nil))
                }
                let legacy = try environment.openDatabase("tags", in: transaction)
                try Array("tag-1\u{0}".utf8).withUnsafeBytes { key in
                    try transaction.put(legacy, key: key, value: UnsafeRawBufferPointer(start: nil, count: 0))
                }
            }
            environment.close()

            let migrated = try EventLog(directory: directory, options: LogOptions(indexRunEntries: 1000))
            try Self.expectReads(of: migrated, match: history, "migrated")
            let runs = try migrated.environment.read { try IndexRuns.stored(in: $0, databases: migrated.databases) }
            #expect(runs?.runs.count == history.entries.count / 1000)
            #expect(try migrated.environment.read { try migrated.environment.existingDatabase("tags", in: $0) } == nil)
            #expect(try migrated.verify().ok)
            await migrated.close()
        }
    }
}
