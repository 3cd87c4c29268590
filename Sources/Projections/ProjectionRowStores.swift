import Events

/// Rows in a derived table, read and written through the writer's session: how a projection is kept as
/// commands arrive, and how a rebuild catches up.
struct TableRows: ProjectionRows {
    let session: UnsafeMutablePointer<LogWriteSession>
    let table: String

    /// Runs `body` with the rows of `table` in `session`.
    static func with<R>(_ session: inout LogWriteSession, table: String, _ body: (inout TableRows) throws -> R) rethrows -> R {
        try withUnsafeMutablePointer(to: &session) { pointer in
            var rows = TableRows(session: pointer, table: table)
            return try body(&rows)
        }
    }

    func row<T: Codable & Sendable>(_ type: T.Type, key: String) throws -> T? {
        try session.pointee.row(type, table: table, key: key)
    }

    mutating func setRow<T: Codable & Sendable>(_ value: T?, key: String) throws {
        try session.pointee.setRow(value, table: table, key: key)
    }
}

/// Rows held in memory as typed values, for the first pass of a rebuild: no encoding, decoding or LMDB per
/// event. They are encoded once, in key order, when the pass is over.
struct MemoryRows: ProjectionRows {
    private(set) var values: [String: any Codable & Sendable] = [:]

    func row<T: Codable & Sendable>(_ type: T.Type, key: String) throws -> T? {
        guard let value = values[key] else { return nil }
        guard let typed = value as? T else { throw ProjectionError.rowType(key: key) }
        return typed
    }

    mutating func setRow<T: Codable & Sendable>(_ value: T?, key: String) throws {
        values[key] = value
    }

    /// Every row, encoded, in the table's (byte) order.
    func encoded() throws -> [(key: [UInt8], value: [UInt8])] {
        try values.map { key, value in (Array(key.utf8), try BinaryEncoder().encode(value)) }
            .sorted { KeyOrder.precedes($0.key, $1.key) }
    }
}
