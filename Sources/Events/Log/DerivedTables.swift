import CLMDB
import Synchronization

/// Named key-value tables kept beside the log in the same LMDB environment: read models and other data derived
/// from the log. They are written only inside the writer's transactions (so they commit atomically with the
/// entries they reflect) and read in consistent snapshots together with the head.
///
/// A table must be created (`EventLog.createTable`) before it is used: LMDB hands out a table's handle only
/// once the transaction that opened it has committed.
final class DerivedTableHandles: Sendable {
    private let handles = Mutex<[String: LMDBDatabase]>([:])

    /// The prefix that keeps derived tables apart from the log's own databases.
    static let prefix = "table:"

    func handle(_ name: String) throws -> LMDBDatabase {
        guard let handle = handles.withLock({ $0[name] }) else {
            throw LogError.invalidRequest("table \(name) does not exist")
        }
        return handle
    }

    func register(_ name: String, _ handle: LMDBDatabase) {
        handles.withLock { $0[name] = handle }
    }

    func unregister(_ name: String) {
        handles.withLock { $0[name] = nil }
    }
}

/// The changes a unit of work made to derived tables, written into the transaction only if the unit succeeds.
/// Its dictionaries keep their room from one unit to the next: the writer stages a dozen rows per command.
struct StagedTableWrites {
    /// Tables the unit emptied, and the values it set (nil: deleted) since, per table.
    private(set) var cleared: Set<String> = []
    private(set) var values: [String: [TableKey: [UInt8]?]] = [:]
    /// Rows to append in key order after a table's last key, per table: a rebuild's bulk load.
    var appended: [String: [(rows: PackedRows, range: Range<Int>)]] = [:]

    /// What the unit itself decided about `key`: `.some(nil)` for deleted, nil when it did not touch it.
    func value(_ table: String, _ key: [UInt8]) -> [UInt8]?? {
        if let value = values[table]?[TableKey(key)] { return .some(value) }
        return cleared.contains(table) ? .some(nil) : nil
    }

    /// Sets (nil: deletes) `key` of `table`.
    mutating func set(_ table: String, _ key: [UInt8], _ value: [UInt8]?) {
        values[table, default: [:]][TableKey(key)] = .some(value)
    }

    /// Empties `table`: what the unit set or appended to it before goes too.
    mutating func clear(_ table: String) {
        cleared.insert(table)
        values[table]?.removeAll(keepingCapacity: true)
        appended[table] = nil
    }

    /// Forgets everything staged, keeping the room.
    mutating func removeAll() {
        cleared.removeAll(keepingCapacity: true)
        for index in values.indices {
            values.values[index].removeAll(keepingCapacity: true)
        }
        appended.removeAll(keepingCapacity: true)
    }

    var isEmpty: Bool { cleared.isEmpty && appended.isEmpty && values.values.allSatisfy(\.isEmpty) }
}

/// A table key as a dictionary key: hashed as one run of bytes, where `[UInt8]` hashes byte by byte.
struct TableKey: Hashable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

/// A consistent, read-only view of the derived tables and the log head, valid inside `EventLog.readTables`.
public struct TableReader {
    let transaction: LMDBTransaction
    let handles: DerivedTableHandles
    /// The log position the tables reflect.
    public let headPosition: UInt64

    public func value(_ table: String, key: [UInt8]) throws -> [UInt8]? {
        try withValue(table, key: key) { Array($0) }
    }

    /// `body`'s result for the value at `key` of `table`, lent where LMDB keeps it for the call; nil when there
    /// is none.
    public func withValue<R>(_ table: String, key: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        let handle = try handles.handle(table)
        return try key.withUnsafeBytes { try transaction.get(handle, key: $0).map(body) }
    }

    /// Calls `body` with every key and value of `table` from `start` on, in key order, while it returns true.
    public func forEach(_ table: String, from start: [UInt8] = [], _ body: ([UInt8], [UInt8]) throws -> Bool) throws {
        try forEachInPlace(table, from: start) { try body(Array($0), Array($1)) }
    }

    /// `forEach`, each key and value lent where LMDB keeps them, for the one call.
    public func forEachInPlace(
        _ table: String, from start: [UInt8] = [],
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let handle = try handles.handle(table)
        try transaction.withCursor(handle) { cursor in
            var record = try start.isEmpty
                ? cursor.move(MDB_FIRST)
                : start.withUnsafeBytes { try cursor.move(MDB_SET_RANGE, key: $0) }
            while let current = record, try body(current.key, current.value) {
                record = try cursor.move(MDB_NEXT)
            }
        }
    }

    /// The number of entries in `table`.
    public func count(_ table: String) throws -> Int {
        try footprint(table).entries
    }

    /// How many entries `table` has, and how many bytes its leaf and overflow pages take: more than its keys
    /// and values take together, by the pages' headers and free room.
    public func footprint(_ table: String) throws -> (entries: Int, bytes: Int) {
        let statistics = try transaction.statistics(try handles.handle(table))
        let pages = Int(statistics.ms_leaf_pages) + Int(statistics.ms_overflow_pages)
        return (Int(statistics.ms_entries), pages * Int(statistics.ms_psize))
    }
}

extension EventLog {
    /// Creates `name` when it does not exist yet (or opens it, after a restart); returns once it can be written
    /// and read.
    public func createTable(_ name: String) async throws {
        let environment = self.environment
        let handle = try await writer.submit { session in
            try environment.openDatabase(DerivedTableHandles.prefix + name, in: session.transaction)
        }
        tableHandles.register(name, handle)
    }

    /// Deletes the derived tables `names` the store has, rows and all, in one commit; returns those it had. When
    /// it has none of them, nothing is written.
    @discardableResult
    public func dropTables(_ names: [String]) async throws -> [String] {
        let environment = self.environment
        let present = try environment.read { transaction in
            try names.filter { try environment.existingDatabase(DerivedTableHandles.prefix + $0, in: transaction) != nil }
        }
        guard !present.isEmpty else { return [] }
        let dropped = try await writer.submit { session in
            try names.filter { name in
                guard let handle = try environment.existingDatabase(DerivedTableHandles.prefix + name, in: session.transaction)
                else { return false }
                try lmdbCheck(mdb_drop(session.transaction.handle, handle, 1))
                return true
            }
        }
        for name in dropped { tableHandles.unregister(name) }
        return dropped
    }

    /// Runs `body` with a consistent snapshot of the derived tables and the head position they reflect.
    public func readTables<R>(_ body: (TableReader) throws -> R) throws -> R {
        try environment.read { transaction in
            try body(
                TableReader(
                    transaction: transaction, handles: tableHandles,
                    headPosition: try databases.head(in: transaction).position))
        }
    }
}

extension LogWriteSession {
    /// The derived tables as the batch's transaction holds them, without the current unit's staged writes:
    /// for a unit that reads many rows before it writes any.
    var writtenTables: TableReader {
        TableReader(transaction: transaction, handles: tableHandles, headPosition: headPosition)
    }
}
