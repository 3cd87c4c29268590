import CLMDB
import Foundation

/// How an `EventLog` is opened.
public struct LogOptions: Sendable {
    /// The memory map's size at first; it doubles by itself whenever less than half of it is free.
    public var initialMapSize: Int
    /// How many read transactions may be open at once across all processes using the store.
    public var maxReaders: UInt32
    /// Transforms applied to old schema versions on every read.
    public var upcasters: UpcasterChain
    /// Where recorded times come from (UTC).
    public var clock: @Sendable () -> Date
    /// True (always, when serving): every commit is durable before it is acknowledged. False only for bulk
    /// loads such as generating a benchmark history, which sync once when the log closes; a crash during one
    /// may lose any of it.
    public var syncsEachCommit = true
    /// How many entries one run of the stream and tag indexes covers; newer entries are indexed in memory
    /// (and re-read from the log when it opens).
    public var indexRunEntries: Int
    /// How many postings of a run under way a commit writes at least (see `IndexRunWriter`).
    public var indexSlicePostings: Int
    /// The writer thread's name, as `top -H` and `/proc/<pid>/task/*/comm` show it (15 bytes at most).
    public var writerThreadName = "log-writer"

    public init(
        initialMapSize: Int = 64 << 20, maxReaders: UInt32 = 512, upcasters: UpcasterChain = UpcasterChain(),
        clock: @escaping @Sendable () -> Date = { Date() }, indexRunEntries: Int = 32_768, indexSlicePostings: Int = 8_192
    ) {
        self.indexRunEntries = indexRunEntries
        self.indexSlicePostings = indexSlicePostings
        self.initialMapSize = initialMapSize
        self.maxReaders = maxReaders
        self.upcasters = upcasters
        self.clock = clock
    }
}

/// seal-hall's event log: append-only, gapless, hash-chained, in one LMDB environment.
///
/// Writes go through one writer thread that commits concurrent appends together and answers each only after
/// the commit is durable. Reads run in short read transactions on the caller's thread, so long scans walk in
/// chunks and never pin old pages for long.
public final class EventLog: Sendable {
    /// The directory holding the store.
    public let directory: String
    let environment: LMDBEnvironment
    let databases: LogDatabases
    let upcasters: UpcasterChain
    let headSignal: HeadSignal
    let index: LogIndex
    let writer: LogWriter
    let tableHandles = DerivedTableHandles()

    /// How many named databases one store may hold: the log's own, and its derived tables.
    static let maxDatabases: UInt32 = 128

    /// Opens the log in `directory`, creating the store when absent.
    public init(directory: String, options: LogOptions = LogOptions()) throws {
        let environment = try LMDBEnvironment(
            path: directory, mapSize: options.initialMapSize, maxDatabases: Self.maxDatabases,
            maxReaders: options.maxReaders, syncsEachCommit: options.syncsEachCommit)
        do {
            let (databases, index, head) = try Self.open(environment, options: options)
            let headSignal = HeadSignal(head: head)
            self.directory = directory
            self.environment = environment
            self.databases = databases
            self.index = index
            self.upcasters = options.upcasters
            self.headSignal = headSignal
            self.writer = LogWriter(
                environment: environment, databases: databases, index: index, clock: options.clock,
                tableHandles: tableHandles, threadName: options.writerThreadName, onCommit: { headSignal.advance(to: $0) })
        } catch {
            environment.close()
            throw error
        }
    }

    /// Opens the log's databases and its index; a store that predates index runs gets them here, growing the
    /// map while it lacks room.
    private static func open(_ environment: LMDBEnvironment, options: LogOptions) throws
        -> (LogDatabases, LogIndex, LogHead)
    {
        var growths = 0
        while true {
            do {
                return try environment.write { transaction in
                    let databases = try LogDatabases(opening: environment, in: transaction)
                    let head = try databases.head(in: transaction)
                    let index = LogIndex(
                        databases: databases, runEntries: options.indexRunEntries, slicePostings: options.indexSlicePostings)
                    try index.open(in: transaction, environment: environment, head: head)
                    return (databases, index, head)
                }
            } catch let error as LMDBError where error == .mapFull && growths < LogWriter.maxGrowthsPerBatch {
                growths += 1
                try environment.growMap(to: environment.usage.mapSize * 2)
            }
        }
    }

    /// The newest entry this process has seen committed.
    public var head: LogHead { headSignal.current }

    /// The writer's commits since the log was opened.
    public var writerCounts: WriterCounts { writer.counts }

    /// Appends one command's events, atomically, once its expectations hold; returns after the commit is durable.
    public func append(_ request: AppendRequest) async throws -> AppendResult {
        try await writer.submit { session in try session.append(request) }
    }

    /// Runs `work` inside the writer's next transaction and returns its result after the commit is durable.
    ///
    /// This is the single serial decider's hook: `work` reads the state it needs from the session, decides,
    /// and appends. If it throws, none of its writes happen. It may run more than once, so it must not have
    /// effects outside the session.
    public func transact<R: Sendable>(_ work: @escaping @Sendable (inout LogWriteSession) throws -> R) async throws
        -> R
    {
        try await writer.submit(work)
    }

    /// Queues `work` for the writer's next transaction without waiting: `completion` gets its result on the
    /// writer's thread once the commit is durable (it must not block, and later batches wait for it), or the
    /// failure. Units queued by one thread run in the order queued.
    public func enqueue<R: Sendable>(
        _ work: @escaping @Sendable (inout LogWriteSession) throws -> R,
        then completion: @escaping @Sendable (Result<R, any Error>) -> Void
    ) {
        writer.enqueue(work, then: completion)
    }

    /// Finishes queued appends, wakes subscribers and closes the store.
    public func close() async {
        await writer.stop()
        headSignal.close()
        environment.close()
    }

    /// Writes a consistent, compacted copy of the store into `destination` while the log stays live.
    public func backup(to destination: String) throws {
        try environment.copy(to: destination, compact: true)
    }
}
