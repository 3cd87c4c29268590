import CLMDB

/// The persisted part of the stream and tag indexes: sorted runs in the `postings` database.
///
/// A run indexes a contiguous range of positions. Its records are keyed `run id ‖ kind ‖ name ‖ 0x00 ‖ number`
/// (the number big-endian); a stream record's value is the entry's big-endian position, a tag record's is
/// empty (its number is the position). Run ids only grow, so a new run is written with `MDB_APPEND`, in key
/// order, onto fresh pages: indexing costs a few dense pages per thousand entries instead of a scattered page
/// per posting, which is what keeps group commits small. A name's postings are one range per run.
///
/// The catalogue (`meta` key `index-runs`) lists the runs in position order; the runs cover positions
/// 1 … `indexedThrough` without gaps. Newer entries are indexed by the in-memory `IndexTail`.
struct IndexRuns: Sendable {
    /// One run: its id and the positions it covers.
    struct Run: Sendable, Equatable {
        var id: UInt32
        var first: UInt64
        var last: UInt64
    }

    private(set) var runs: [Run]

    static let catalogueKey = Array("index-runs".utf8)
    private static let storedRunSize = 4 + 8 + 8

    /// The last position the runs index; 0 when there are none.
    var indexedThrough: UInt64 { runs.last?.last ?? 0 }

    /// The catalogue stored in `transaction`; nil when the store predates run indexes.
    static func stored(in transaction: LMDBTransaction, databases: LogDatabases) throws -> IndexRuns? {
        guard let bytes = try catalogueKey.withUnsafeBytes({ try transaction.get(databases.meta, key: $0) }) else {
            return nil
        }
        guard bytes.count % storedRunSize == 0 else { throw LogError.corruptEntry(position: 0) }
        let runs = stride(from: 0, to: bytes.count, by: storedRunSize).map { offset in
            Run(
                id: UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)),
                first: bytes.bigEndianUInt64(at: offset + 4), last: bytes.bigEndianUInt64(at: offset + 12))
        }
        return IndexRuns(runs: runs)
    }

    /// Writes the catalogue into `transaction`.
    func store(in transaction: LMDBTransaction, databases: LogDatabases) throws {
        var bytes = [UInt8]()
        bytes.reserveCapacity(runs.count * Self.storedRunSize)
        for run in runs {
            withUnsafeBytes(of: run.id.bigEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: run.first.bigEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: run.last.bigEndian) { bytes.append(contentsOf: $0) }
        }
        try Self.catalogueKey.withUnsafeBytes { key in
            try bytes.withUnsafeBytes { try transaction.put(databases.meta, key: key, value: $0) }
        }
    }

    /// The id the next run takes.
    var nextId: UInt32 { (runs.map(\.id).max() ?? 0) + 1 }

    /// Writes the entries `first … last` (given in any order) as a new run in one go, and records it in the
    /// catalogue: how a store from before runs is migrated. The writer's runs go a slice per commit instead
    /// (`IndexRunWriter`).
    mutating func appendRun(
        of entries: [IndexedEntry], covering first: UInt64, through last: UInt64, in transaction: LMDBTransaction,
        databases: LogDatabases
    ) throws {
        let prepared = PreparedRun(entries, first: first, last: last)
        _ = try prepared.write(run: nextId, from: .start, limit: .max, in: transaction, databases: databases)
        try catalogue(Run(id: nextId, first: first, last: last), in: transaction, databases: databases)
    }

    /// Records `run`, whose postings are written, in the catalogue.
    mutating func catalogue(_ run: Run, in transaction: LMDBTransaction, databases: LogDatabases) throws {
        precondition(run.first == indexedThrough + 1 && run.last >= run.first, "runs must cover the log without gaps")
        runs.append(run)
        try store(in: transaction, databases: databases)
    }

    /// The postings of `name` with a number of at least `from`, in log order, across every run.
    func postings(of name: IndexName, from number: UInt64 = 0, in transaction: LMDBTransaction, databases: LogDatabases)
        throws -> [IndexPosting]
    {
        var found = [IndexPosting]()
        try transaction.withCursor(databases.postings) { cursor in
            for run in runs {
                let prefix = Self.key(run: run.id, name)
                var record = try Self.key(run: run.id, name, number).withUnsafeBytes {
                    try cursor.move(MDB_SET_RANGE, key: $0)
                }
                while let current = record, let number = IndexKey.number(in: current.key, after: prefix) {
                    let position = name.kind == .stream ? current.value.bigEndianUInt64(at: 0) : number
                    found.append(IndexPosting(number: number, position: position))
                    record = try cursor.move(MDB_NEXT)
                }
            }
        }
        return found
    }

    /// The newest posting of `name` in the runs, nil when none holds it.
    func newestPosting(of name: IndexName, in transaction: LMDBTransaction, databases: LogDatabases) throws
        -> IndexPosting?
    {
        try transaction.withCursor(databases.postings) { cursor in
            for run in runs.reversed() {
                let prefix = Self.key(run: run.id, name)
                // The first key after all of the name's keys in this run, then one back.
                let beyond = try (prefix.dropLast() + [1]).withUnsafeBytes { try cursor.move(MDB_SET_RANGE, key: $0) }
                guard let last = try beyond == nil ? cursor.move(MDB_LAST) : cursor.move(MDB_PREV),
                    let number = IndexKey.number(in: last.key, after: prefix)
                else { continue }
                let position = name.kind == .stream ? last.value.bigEndianUInt64(at: 0) : number
                return IndexPosting(number: number, position: position)
            }
            return nil
        }
    }

    /// `run ‖ kind ‖ name ‖ 0x00`, followed by the big-endian `number` when given.
    static func key(run: UInt32, _ name: IndexName, _ number: UInt64? = nil) -> [UInt8] {
        var key = [UInt8]()
        withUnsafeBytes(of: run.bigEndian) { key.append(contentsOf: $0) }
        key.append(contentsOf: name.keyPrefix)
        if let number { withUnsafeBytes(of: number.bigEndian) { key.append(contentsOf: $0) } }
        return key
    }
}
