/// The size and shape of a store, for operators.
public struct LogStatistics: Sendable, Equatable {
    public var entries: Int
    public var headPosition: UInt64
    public var headHash: ChainHash
    /// The size of `data.mdb` on disk.
    public var fileBytes: Int
    /// The memory map's current size, and how much of it holds pages.
    public var mapBytes: Int
    public var mapUsedBytes: Int
    public var pageSize: Int
    /// How many idempotency keys are remembered.
    public var idempotencyKeys: Int
    /// How many sorted runs the stream and tag indexes hold, and the last position they cover; the entries after
    /// it are indexed in memory.
    public var indexRuns: Int
    public var indexedThrough: UInt64
    /// The stream and tag postings the runs hold.
    public var indexPostings: Int
}

extension EventLog {
    public func statistics() throws -> LogStatistics {
        try environment.read { transaction in
            let head = try databases.head(in: transaction)
            let runs = try IndexRuns.stored(in: transaction, databases: databases) ?? IndexRuns(runs: [])
            let usage = environment.usage
            return LogStatistics(
                entries: Int(try transaction.statistics(databases.entries).ms_entries),
                headPosition: head.position,
                headHash: head.hash,
                fileBytes: environment.dataFileSize,
                mapBytes: usage.mapSize,
                mapUsedBytes: usage.usedBytes,
                pageSize: usage.pageSize,
                idempotencyKeys: Int(try transaction.statistics(databases.commands).ms_entries),
                indexRuns: runs.runs.count, indexedThrough: runs.indexedThrough,
                indexPostings: Int(try transaction.statistics(databases.postings).ms_entries))
        }
    }
}
