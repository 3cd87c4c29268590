import CLMDB

/// A handle on one named database inside an LMDB environment.
typealias LMDBDatabase = MDB_dbi

/// A live LMDB transaction: valid only inside the closure that received it.
///
/// Buffers returned by `get` and by cursors point into the memory map and stay valid until the transaction ends
/// (or, in a write transaction, until the next write).
struct LMDBTransaction {
    let handle: OpaquePointer

    /// The longest key LMDB stores (its default `MDB_MAXKEYSIZE`).
    static let maxKeySize = 511

    /// The value of `key`; nil when there is none — also for an empty key or one too long to have been
    /// stored, which LMDB itself would refuse with `MDB_BAD_VALSIZE`.
    func get(_ database: LMDBDatabase, key: UnsafeRawBufferPointer) throws(LMDBError) -> UnsafeRawBufferPointer? {
        guard (1...Self.maxKeySize).contains(key.count) else { return nil }
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataValue = MDB_val()
        let code = mdb_get(handle, database, &keyValue, &dataValue)
        if code == MDB_NOTFOUND { return nil }
        try lmdbCheck(code)
        return UnsafeRawBufferPointer(start: dataValue.mv_data, count: dataValue.mv_size)
    }

    func put(
        _ database: LMDBDatabase,
        key: UnsafeRawBufferPointer,
        value: UnsafeRawBufferPointer,
        flags: Int32 = 0
    ) throws(LMDBError) {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataValue = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        try lmdbCheck(mdb_put(handle, database, &keyValue, &dataValue, UInt32(flags)))
    }

    /// Runs `body` with a cursor over `database`, closing the cursor afterwards.
    func withCursor<R>(_ database: LMDBDatabase, _ body: (inout LMDBCursor) throws -> R) throws -> R {
        var pointer: OpaquePointer?
        try lmdbCheck(mdb_cursor_open(handle, database, &pointer))
        var cursor = LMDBCursor(handle: pointer!)
        defer { mdb_cursor_close(pointer) }
        return try body(&cursor)
    }

    /// Statistics of one database as this transaction sees it.
    func statistics(_ database: LMDBDatabase) throws(LMDBError) -> MDB_stat {
        var stat = MDB_stat()
        try lmdbCheck(mdb_stat(handle, database, &stat))
        return stat
    }
}

/// A cursor position: the key and value it points at, as raw views into the map.
struct LMDBRecord {
    let key: UnsafeRawBufferPointer
    let value: UnsafeRawBufferPointer
}

/// An open LMDB cursor, valid inside `LMDBTransaction.withCursor`.
struct LMDBCursor {
    let handle: OpaquePointer

    /// Moves the cursor with `operation`; nil when there is no such record (`MDB_NOTFOUND`).
    mutating func move(
        _ operation: MDB_cursor_op,
        key: UnsafeRawBufferPointer? = nil,
        value: UnsafeRawBufferPointer? = nil
    ) throws(LMDBError) -> LMDBRecord? {
        var keyValue = MDB_val(mv_size: key?.count ?? 0, mv_data: UnsafeMutableRawPointer(mutating: key?.baseAddress))
        var dataValue = MDB_val(
            mv_size: value?.count ?? 0, mv_data: UnsafeMutableRawPointer(mutating: value?.baseAddress))
        let code = mdb_cursor_get(handle, &keyValue, &dataValue, operation)
        if code == MDB_NOTFOUND { return nil }
        try lmdbCheck(code)
        return LMDBRecord(
            key: UnsafeRawBufferPointer(start: keyValue.mv_data, count: keyValue.mv_size),
            value: UnsafeRawBufferPointer(start: dataValue.mv_data, count: dataValue.mv_size))
    }

    /// Stores `value` at `key` and leaves the cursor there. With `MDB_APPEND` the cursor stays on the last leaf
    /// page, so a run of appends through one cursor does not search the tree from its root for each row as
    /// `LMDBTransaction.put` does.
    mutating func put(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, flags: Int32 = 0) throws(LMDBError) {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataValue = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        try lmdbCheck(mdb_cursor_put(handle, &keyValue, &dataValue, UInt32(flags)))
    }

    /// Deletes the record the cursor points at.
    mutating func deleteCurrent() throws(LMDBError) {
        try lmdbCheck(mdb_cursor_del(handle, 0))
    }

    /// The number of duplicates under the current key of a `MDB_DUPSORT` database.
    func duplicateCount() throws(LMDBError) -> Int {
        var count = 0
        try lmdbCheck(mdb_cursor_count(handle, &count))
        return count
    }
}
