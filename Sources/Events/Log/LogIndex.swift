import CLMDB

/// The log's stream and tag indexes: sorted runs in LMDB (`IndexRuns`) and the in-memory tail of the entries
/// after them (`IndexTail`).
///
/// The writer adds each commit's entries to the tail; once the tail holds `runEntries` entries, later commits
/// write them as a new run, a slice each (`IndexRunWriter`), and the tail drops them when the commit that
/// catalogues the run is durable. Every committed entry is therefore indexed either by a catalogued run or by a
/// tail rebuilt from the entries themselves: a crash loses nothing, since the tail is never stored.
final class LogIndex: Sendable {
    let databases: LogDatabases
    /// How many entries a run indexes (the last may hold more: it takes a whole commit).
    let runEntries: Int
    let tail = IndexTail()
    let runWriter: IndexRunWriter

    /// What the writer does to the tail, and to the run under way, once a commit is durable.
    struct TailChange: Sendable {
        /// The commit's entries, which end at `through`.
        var entries: [IndexedEntry] = []
        var through: UInt64 = 0
        /// The last position of the run the commit catalogued: the tail drops the entries up to it.
        var cataloguedThrough: UInt64?
        /// The run writer's stage after the commit; nil when it stays.
        var stage: IndexRunWriter.Stage?

        static let none = TailChange()
    }

    /// The names of the composite-key indexes that stores written before runs existed kept.
    private static let legacyDatabases = ["streams", "tags"]

    init(databases: LogDatabases, runEntries: Int, slicePostings: Int) {
        precondition(runEntries > 0 && slicePostings > 0)
        self.databases = databases
        self.runEntries = runEntries
        runWriter = IndexRunWriter(runEntries: runEntries, slicePostings: slicePostings)
    }

    /// Loads the tail; first, for a store that predates runs, drops its old indexes and writes runs for its
    /// entries. Runs inside the write transaction that opens the log.
    func open(in transaction: LMDBTransaction, environment: LMDBEnvironment, head: LogHead) throws {
        let runs = try IndexRuns.stored(in: transaction, databases: databases)
            ?? migrate(in: transaction, environment: environment, head: head)
        try PreparedRun.delete(runs: runs.nextId..<UInt32.max, in: transaction, databases: databases)
        try reloadTail(runs: runs, head: head, in: transaction)
    }

    private func migrate(in transaction: LMDBTransaction, environment: LMDBEnvironment, head: LogHead) throws
        -> IndexRuns
    {
        for name in Self.legacyDatabases {
            if let legacy = try environment.existingDatabase(name, in: transaction) {
                try lmdbCheck(mdb_drop(transaction.handle, legacy, 1))
            }
        }
        var runs = IndexRuns(runs: [])
        var chunk = [IndexedEntry]()
        try forEachStored(after: 0, through: head.position, in: transaction) { entry in
            chunk.append(entry)
            if chunk.count == runEntries {
                try runs.appendRun(
                    of: chunk, covering: runs.indexedThrough + 1, through: entry.position, in: transaction,
                    databases: databases)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        try runs.store(in: transaction, databases: databases)
        return runs
    }

    // MARK: The writer's side

    /// The runs as `transaction` sees them, with the tail brought in line with it first (another process may
    /// have written since this one's last commit).
    func prepareBatch(in transaction: LMDBTransaction, head: LogHead) throws -> IndexRuns {
        guard let runs = try IndexRuns.stored(in: transaction, databases: databases) else {
            throw LogError.corruptEntry(position: 0)
        }
        let bounds = tail.bounds
        if bounds.base != runs.indexedThrough || bounds.through != head.position {
            try reloadTail(runs: runs, head: head, in: transaction)
        }
        return runs
    }

    /// The newest version of `stream` as of the batch's start (`runs` from `prepareBatch`).
    func version(of stream: String, runs: IndexRuns, in transaction: LMDBTransaction) throws -> UInt64 {
        if let newest = tail.view(of: .stream(stream)).postings.last { return newest.number }
        return try runs.newestPosting(of: .stream(stream), in: transaction, databases: databases)?.number ?? 0
    }

    /// Indexes the entries a batch wrote (ending at `head`), and moves the run under way on by a slice.
    /// Returns what to do to the tail once the batch has committed.
    func index(_ entries: [IndexedEntry], through head: UInt64, runs: IndexRuns, in transaction: LMDBTransaction)
        throws -> TailChange
    {
        guard !entries.isEmpty else { return .none }
        let (stage, run) = try runWriter.advance(
            batchEntries: entries.count, head: head, runs: runs, in: transaction, databases: databases)
        return TailChange(entries: entries, through: head, cataloguedThrough: run?.last, stage: stage)
    }

    /// Applies a committed batch's change to the tail.
    func apply(_ change: TailChange) {
        if let through = change.cataloguedThrough { tail.cut(through: through) }
        if !change.entries.isEmpty { tail.append(change.entries, through: change.through) }
        runWriter.committed(change.stage, tail: tail)
    }

    // MARK: Readers

    /// The postings of `name` numbered `number` or more, in log order, as `transaction` sees the log.
    func postings(of name: IndexName, from number: UInt64 = 0, in transaction: LMDBTransaction) throws
        -> [IndexPosting]
    {
        guard Self.isStorable(name) else { return [] }
        let runs = try storedRuns(in: transaction)
        let head = try databases.head(in: transaction).position
        var found = try runs.postings(of: name, from: number, in: transaction, databases: databases)
        found += try tailPostings(of: name, after: runs.indexedThrough, through: head, in: transaction)
            .filter { $0.number >= number }
        return found
    }

    /// The newest posting of `name` as `transaction` sees the log.
    func newestPosting(of name: IndexName, in transaction: LMDBTransaction) throws -> IndexPosting? {
        guard Self.isStorable(name) else { return nil }
        let runs = try storedRuns(in: transaction)
        let head = try databases.head(in: transaction).position
        if let newest = try tailPostings(of: name, after: runs.indexedThrough, through: head, in: transaction).last {
            return newest
        }
        return try runs.newestPosting(of: name, in: transaction, databases: databases)
    }

    /// Whether an entry could be indexed under `name`: appends refuse longer names, and a run key for one
    /// would be longer than LMDB allows, so a read of one finds nothing rather than failing.
    private static func isStorable(_ name: IndexName) -> Bool {
        name.name.utf8.count <= LogWriteSession.maxStringBytes
    }

    /// The postings of `name` among the entries `base + 1 … head`: from the tail where it matches the snapshot,
    /// from the entries themselves where it does not (a commit or a new run landed in between).
    private func tailPostings(of name: IndexName, after base: UInt64, through head: UInt64, in transaction: LMDBTransaction)
        throws -> [IndexPosting]
    {
        let view = tail.view(of: name)
        guard view.base == base else { return try scanned(name, after: base, through: head, in: transaction) }
        var found = view.postings.prefix { $0.position <= head }.map { $0 }
        if view.through < head {
            found += try scanned(name, after: view.through, through: head, in: transaction)
        }
        return found
    }

    private func scanned(_ name: IndexName, after first: UInt64, through last: UInt64, in transaction: LMDBTransaction)
        throws -> [IndexPosting]
    {
        var found = [IndexPosting]()
        try forEachStored(after: first, through: last, in: transaction) { entry in
            if entry.isIndexed(under: name) { found.append(entry.posting(under: name)) }
        }
        return found
    }

    private func storedRuns(in transaction: LMDBTransaction) throws -> IndexRuns {
        try IndexRuns.stored(in: transaction, databases: databases) ?? IndexRuns(runs: [])
    }

    private func reloadTail(runs: IndexRuns, head: LogHead, in transaction: LMDBTransaction) throws {
        var entries = [IndexedEntry]()
        try forEachStored(after: runs.indexedThrough, through: head.position, in: transaction) { entries.append($0) }
        tail.reset(base: runs.indexedThrough, through: head.position, entries: entries)
    }

    /// Calls `body` with what each stored entry `first + 1 … last` contributes to the indexes.
    private func forEachStored(
        after first: UInt64, through last: UInt64, in transaction: LMDBTransaction,
        _ body: (IndexedEntry) throws -> Void
    ) throws {
        guard last > first else { return }
        try transaction.withCursor(databases.entries) { cursor in
            var record = try withBigEndian(first + 1) { try cursor.move(MDB_SET_RANGE, key: $0) }
            while let current = record {
                let position = current.key.bigEndianUInt64(at: 0)
                guard position <= last else { return }
                guard let entry = EntryCodec.decode(current.value) else { throw LogError.corruptEntry(position: position) }
                try body(IndexedEntry(entry))
                record = try cursor.move(MDB_NEXT)
            }
        }
    }
}
