import CLMDB

/// The postings of a run to be, grouped by name with the names in key order: the sorting a run needs, done once
/// and away from the writer's commits, which then write it a slice at a time (`IndexRunWriter`).
///
/// Postings are grouped by name and only the distinct names are sorted (`KeyOrder`); each name's postings are in
/// number order already, since entries are taken in log order and numbers grow with positions.
struct PreparedRun: Sendable {
    /// One name's postings.
    struct Name: Sendable {
        /// `kind ‖ name ‖ 0x00`: the name's keys after the run id.
        var prefix: [UInt8]
        var isStream: Bool
        var postings: [IndexPosting]
    }

    /// Where writing stopped: the next posting to write.
    struct Cursor: Sendable, Equatable {
        var name: Int
        var posting: Int
        static let start = Cursor(name: 0, posting: 0)
    }

    let first: UInt64
    let last: UInt64
    let names: [Name]
    let postingCount: Int

    init(_ entries: [IndexedEntry], first: UInt64, last: UInt64) {
        self.first = first
        self.last = last
        var postings = [IndexName: [IndexPosting]]()
        for entry in entries.sorted(by: { $0.position < $1.position }) {
            entry.forEachPosting { name, posting in postings[name, default: []].append(posting) }
        }
        names = postings.map { Name(prefix: $0.key.keyPrefix, isStream: $0.key.kind == .stream, postings: $0.value) }
            .sorted { KeyOrder.precedes($0.prefix, $1.prefix) }
        postingCount = postings.values.reduce(0) { $0 + $1.count }
    }

    /// Appends up to `limit` postings from `cursor` on under run `id`, in key order (`MDB_APPEND`: the run's
    /// keys must sort after every key stored). Returns where to go on, or nil when the run is written.
    func write(
        run id: UInt32, from cursor: Cursor, limit: Int, in transaction: LMDBTransaction, databases: LogDatabases
    ) throws -> Cursor? {
        var cursor = cursor
        var written = 0
        var key = [UInt8]()
        while cursor.name < names.count {
            let name = names[cursor.name]
            key.removeAll(keepingCapacity: true)
            withUnsafeBytes(of: id.bigEndian) { key.append(contentsOf: $0) }
            key.append(contentsOf: name.prefix)
            key.append(contentsOf: repeatElement(0, count: 8))
            while cursor.posting < name.postings.count {
                guard written < limit else { return cursor }
                let posting = name.postings[cursor.posting]
                try key.withUnsafeMutableBytes { key in
                    key.storeBytes(of: posting.number.bigEndian, toByteOffset: key.count - 8, as: UInt64.self)
                    let value = name.isStream ? posting.position.bigEndian : 0
                    try withUnsafeBytes(of: value) { value in
                        try transaction.put(
                            databases.postings, key: UnsafeRawBufferPointer(key),
                            value: name.isStream ? value : UnsafeRawBufferPointer(start: nil, count: 0), flags: MDB_APPEND)
                    }
                }
                cursor.posting += 1
                written += 1
            }
            cursor = Cursor(name: cursor.name + 1, posting: 0)
        }
        return nil
    }

    /// The run id of the last key in `postings` (a run written or being written), nil when it is empty.
    static func lastRunId(in transaction: LMDBTransaction, databases: LogDatabases) throws -> UInt32? {
        try lastKey(in: transaction, databases: databases).map { key in
            key.withUnsafeBytes { UInt32(bigEndian: $0.loadUnaligned(as: UInt32.self)) }
        }
    }

    /// The last key in `postings`.
    static func lastKey(in transaction: LMDBTransaction, databases: LogDatabases) throws -> [UInt8]? {
        try transaction.withCursor(databases.postings) { cursor in try cursor.move(MDB_LAST).map { Array($0.key) } }
    }

    /// Deletes every posting of the runs `ids` (uncatalogued ones: a run given up, or left by a crash).
    static func delete(runs ids: Range<UInt32>, in transaction: LMDBTransaction, databases: LogDatabases) throws {
        guard !ids.isEmpty else { return }
        try transaction.withCursor(databases.postings) { cursor in
            while let current = try withUnsafeBytes(of: ids.lowerBound.bigEndian, { try cursor.move(MDB_SET_RANGE, key: $0) }),
                current.key.count >= 4, ids.contains(UInt32(bigEndian: current.key.loadUnaligned(as: UInt32.self)))
            {
                try cursor.deleteCurrent()
            }
        }
    }
}
