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

    func row<T: Codable & Sendable>(_ type: T.Type, key: RowKey) throws -> T? {
        try session.pointee.row(type, table: table, key: key)
    }

    mutating func setRow<T: Codable & Sendable>(_ value: T?, key: RowKey) throws {
        try session.pointee.setRow(value, table: table, key: key)
    }

    mutating func setUnreadRow<T: Codable & Sendable>(_ value: T?, key: RowKey) throws {
        try setRow(value, key: key)
    }
}

/// Rows held in memory, for the first pass of a rebuild: no decoding or LMDB per event.
///
/// A row the projection reads back is held as a typed value, in a box of its own type, so that changing it
/// overwrites it in place instead of boxing it anew; these are encoded once the pass is over. A group
/// (`RowGroup`) is held the same way, its members written out only then. A row it never
/// reads back (`setUnreadRow`), most of a rebuild's rows, is encoded at once and packed as it comes, with no
/// box, no slot in the dictionary and nothing to free one by one; of its writes the last counts. Not
/// thread-safe: one thread applies events to it, then one thread packs it.
///
/// Its properties, and its boxes' values, opt out of the runtime's exclusivity checks (`@exclusivity(unchecked)`):
/// one thread at a time changes them, each through one access, and the checks made for every row read or changed
/// cost a rebuild about 2 % of its CPU.
final class MemoryRows: ProjectionRows, @unchecked Sendable {
    @exclusivity(unchecked) private var boxes: [RowKey: any EncodableRowBox] = [:]
    /// The rows held until `takePacked()`, kept until `freePacked()`.
    private var packedBoxes: [RowKey: any EncodableRowBox] = [:]
    /// The unread rows' writes, in the order they came (a deletion as an empty value).
    @exclusivity(unchecked) private var unread: PackedRows

    /// Rows with room for about `rows` rows of `bytes` key and value bytes in all before the first regrowth.
    ///
    /// Both the keys' and the values' buffers are given room for all the bytes, and a quarter more, as
    /// regrowing copies a buffer into new memory, which the system must clear page by page before it is
    /// written (a regrown buffer cost a rebuild more than the room it reserves, which is never touched).
    init(rows: Int = 0, bytes: Int = 0) {
        unread = PackedRows(rows: rows + rows / 4, keyBytes: bytes + bytes / 4, valueBytes: bytes + bytes / 4)
    }

    func row<T: Codable & Sendable>(_ type: T.Type, key: RowKey) throws -> T? {
        guard let box = boxes[key] else { return nil }
        guard let typed = box as? RowBox<T> else { throw ProjectionError.rowType(key: key.description) }
        return typed.value
    }

    func setRow<T: Codable & Sendable>(_ value: T?, key: RowKey) throws {
        guard let value else {
            boxes[key] = nil
            return
        }
        // One lookup for a row there was and a row there was not: the slot is changed in place.
        Self.set(value, in: &boxes[key])
    }

    /// Changes the row in its box: one lookup, and no copy of the value out and back in.
    @discardableResult
    func updateRow<T: Codable & Sendable>(_ type: T.Type, key: RowKey, _ change: (inout T) -> Void) throws -> Bool {
        guard let box = boxes[key] else { return false }
        guard let typed = box as? RowBox<T> else { throw ProjectionError.rowType(key: key.description) }
        change(&typed.value)
        return true
    }

    /// Changes the group in its box, in place; its members are written only when the rows are packed.
    func updateGroup<G: RowGroup>(_ type: G.Type, key: RowKey, _ change: (inout G?) throws -> Void) throws {
        guard let box = boxes[key] else {
            var group: G?
            try change(&group)
            if let group { boxes[key] = GroupBox(group) }
            return
        }
        guard let typed = box as? GroupBox<G> else { throw ProjectionError.rowType(key: key.description) }
        try change(&typed.group)
        if typed.group == nil { boxes[key] = nil }
    }

    func setUnreadRow<T: Codable & Sendable>(_ value: T?, key: RowKey) throws {
        try key.withUTF8 { key in
            if let value {
                try unread.append(key: key) { try BinaryEncoder().write(value, to: &$0) }
            } else {
                unread.appendDeletion(key: key)
            }
        }
    }

    private static func set<T: Codable & Sendable>(_ value: T, in slot: inout (any EncodableRowBox)?) {
        if let box = slot as? RowBox<T> {
            box.value = value
        } else {
            slot = RowBox(value)
        }
    }

    /// Every row, encoded, in the table's (byte) order, of each key its last write, deletions left out. The rows
    /// held are kept until `freePacked()` (or until these rows are let go): a rebuild frees them once every model
    /// is packed, while the store's single writer works on one core and the other would idle.
    func takePacked() throws -> PackedRows {
        swap(&packedBoxes, &boxes)
        var packed = PackedRows()
        swap(&packed, &unread)
        // A key written unread after it was held had its held row deleted first; a row still held is written after
        // the unread ones, so that it counts over any earlier unread write of its key.
        for (key, box) in packedBoxes { try box.write(at: key, to: &packed) }
        return packed.latestByKey()
    }

    /// Frees the rows held until `takePacked()`.
    func freePacked() {
        packedBoxes = [:]
    }
}

/// A row of `MemoryRows`, whatever its type, as the final encoding sees it.
private protocol EncodableRowBox: AnyObject {
    /// Appends the row at `key`, with any rows it stands for, to `packed`.
    func write(at key: RowKey, to packed: inout PackedRows) throws
}

/// A row of `MemoryRows`, held by reference.
private final class RowBox<T: Codable & Sendable>: EncodableRowBox {
    @exclusivity(unchecked) var value: T

    init(_ value: T) {
        self.value = value
    }

    func write(at key: RowKey, to packed: inout PackedRows) throws {
        try key.withUTF8 { key in try packed.append(key: key) { try BinaryEncoder().write(value, to: &$0) } }
    }
}

/// A group of `MemoryRows` (`RowGroup`), held by reference; nil only while a change deletes it.
private final class GroupBox<G: RowGroup>: EncodableRowBox {
    @exclusivity(unchecked) var group: G?

    init(_ group: G) {
        self.group = group
    }

    func write(at key: RowKey, to packed: inout PackedRows) throws {
        guard let group else { return }
        try key.withUTF8 { key in try packed.append(key: key) { try BinaryEncoder().write(group, to: &$0) } }
        try group.forEachMember { member, row in try packed.append(key: member) { try BinaryEncoder().write(row, to: &$0) } }
    }
}
