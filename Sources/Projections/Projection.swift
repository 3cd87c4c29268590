import Events

/// A read model derived from the log: a name, a version, and how each event changes its rows.
///
/// Its rows live in a derived table beside the log and change inside the writer's unit that records the event,
/// so a read after a command's answer already sees the command. A projection must derive its rows from the
/// events alone — no clock, no other input — so that applying the log again gives the same rows. It sees its
/// rows only through `ProjectionRows`, which is what lets a rebuild keep them in memory.
public protocol Projection: Sendable {
    /// Stable and unique, e.g. `portal-figures`.
    var name: String { get }
    /// Raised whenever the rows' shape or meaning changes; a stored model of another version is rebuilt.
    var version: Int { get }
    /// Applies `event` to `rows`.
    ///
    /// Implementations carry `@_specialize(where Store == TableRows)` and `(where Store == MemoryRows)`: the engine
    /// calls them through `any Projection`, where a generic `apply` would run unspecialized, every row read and
    /// written through run-time generics and casts (with the attributes the writer's read models took a fifth
    /// less time, and a rebuild a tenth).
    func apply<Rows: ProjectionRows>(_ event: RecordedEvent, to rows: inout Rows) throws
}

/// A projection's rows, by key: typed values, as the projection reads and writes them.
public protocol ProjectionRows {
    /// The row at `key`, or nil when there is none.
    func row<T: Codable & Sendable>(_ type: T.Type, key: RowKey) throws -> T?
    /// Sets (or, with nil, deletes) the row at `key`.
    mutating func setRow<T: Codable & Sendable>(_ value: T?, key: RowKey) throws
    /// Sets (or, with nil, deletes) the row at `key`, a row the projection never reads back (a line of a register,
    /// an entry of an index): a rebuild then writes it out at once instead of holding it to be read. Such a key is
    /// never read with `row`, and written with `setRow` only before its row is deleted with `setRow` and its
    /// last value written here (a row held while it changes, written out once it no longer does).
    mutating func setUnreadRow<T: Codable & Sendable>(_ value: T?, key: RowKey) throws
    /// Changes the row at `key` in place; returns whether there was one (there being none, nothing changes).
    /// Not the row itself: most callers do not need it, and a copy of it retained every string inside.
    @discardableResult
    mutating func updateRow<T: Codable & Sendable>(_ type: T.Type, key: RowKey, _ change: (inout T) -> Void) throws -> Bool
    /// Changes (sets, deletes) the group at `key`: a row the projection reads back, and the rows it stands for
    /// (`RowGroup.forEachMember`), written and deleted with it. A member's key is written otherwise only once the
    /// group no longer has it (a line written out unread when its group is deleted). What the caller needs of the
    /// group it reads in `change`: a copy returned retained every string inside.
    mutating func updateGroup<G: RowGroup>(_ type: G.Type, key: RowKey, _ change: (inout G?) throws -> Void) throws
}

/// A row that stands for other rows of its table as well, its members: each a pure function of the group (an
/// open application and the queue lines it shows). Kept in a table, the group is one row beside its members;
/// held in memory by a rebuild, it is the group alone, changed in place, its members written out once at the end.
public protocol RowGroup: Codable, Sendable {
    /// What a member row holds.
    associatedtype Member: Codable & Sendable & Equatable
    /// Calls `body` with each member's key and row, of distinct keys.
    func forEachMember(_ body: (String, Member) throws -> Void) rethrows
}

extension ProjectionRows {
    /// Reads the row, changes it, and sets it again.
    @discardableResult
    public mutating func updateRow<T: Codable & Sendable>(_ type: T.Type, key: RowKey, _ change: (inout T) -> Void) throws
        -> Bool
    {
        guard var row = try row(type, key: key) else { return false }
        change(&row)
        try setRow(row, key: key)
        return true
    }

    /// Reads the group, changes it, sets it again, and writes the members that changed: the members that
    /// appear or differ are set, those gone deleted.
    public mutating func updateGroup<G: RowGroup>(_ type: G.Type, key: RowKey, _ change: (inout G?) throws -> Void)
        throws
    {
        let old = try row(type, key: key)
        var group = old
        try change(&group)
        guard old != nil || group != nil else { return }
        var gone = [String: G.Member]()
        old?.forEachMember { gone[$0] = $1 }
        try group?.forEachMember { member, row in
            if gone.removeValue(forKey: member) != row { try setRow(row, key: RowKey(member)) }
        }
        for member in gone.keys.sorted() { try setRow(G.Member?.none, key: RowKey(member)) }
        try setRow(group, key: key)
    }
}

extension LogWriteSession {
    /// The row at `key` of derived table `table`, decoded; nil when there is none.
    public func row<T: Decodable>(_ type: T.Type, table: String, key: RowKey) throws -> T? {
        try withTableValue(table, key: key.withUTF8 { Array($0) }) { try BinaryDecoder().decode(type, from: $0) }
    }

    /// Sets (or, with nil, deletes) the row at `key` of derived table `table`.
    public mutating func setRow<T: Encodable>(_ value: T?, table: String, key: RowKey) throws {
        try setTableValue(table, key: key.withUTF8 { Array($0) }, value: try value.map { try BinaryEncoder().encode($0) })
    }
}

extension TableReader {
    /// The row at `key` of derived table `table`, decoded; nil when there is none.
    public func row<T: Decodable>(_ type: T.Type, table: String, key: String) throws -> T? {
        try withValue(table, key: Array(key.utf8)) { try BinaryDecoder().decode(type, from: $0) }
    }

    /// Every row of `table` whose key starts with `prefix`, decoded, in key order.
    public func rows<T: Decodable>(_ type: T.Type, table: String, prefix: String) throws -> [(key: String, value: T)] {
        var rows = [(key: String, value: T)]()
        let start = Array(prefix.utf8)
        try forEachInPlace(table, from: start) { key, value in
            guard key.starts(with: start) else { return false }
            rows.append((String(decoding: key, as: UTF8.self), try BinaryDecoder().decode(type, from: value)))
            return true
        }
        return rows
    }
}
