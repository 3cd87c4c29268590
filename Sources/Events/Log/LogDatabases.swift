import CLMDB

/// The named LMDB databases that make up the log, and how their keys are laid out.
///
/// - `entries`: big-endian position → stored entry (`EntryCodec`), appended with `MDB_APPEND`.
/// - `streams`: stream id ‖ 0x00 ‖ big-endian stream version → big-endian position.
/// - `tags`: tag ‖ 0x00 ‖ big-endian position → nothing.
///
/// The two indexes use composite keys rather than `MDB_DUPSORT`: appending to a sorted duplicate set dirties
/// two pages (the set's own leaf and the main leaf holding its root), a composite key one, and every page a
/// commit dirties costs fsync time.
/// - `commands`: idempotency key → first and last position and the request's fingerprint.
/// - `meta`: `head` → the newest entry's position, hash and time.
struct LogDatabases: Sendable {
    let entries: LMDBDatabase
    let streams: LMDBDatabase
    let tags: LMDBDatabase
    let commands: LMDBDatabase
    let meta: LMDBDatabase

    static let headKey = Array("head".utf8)

    init(opening environment: LMDBEnvironment, in transaction: LMDBTransaction) throws {
        entries = try environment.openDatabase("entries", in: transaction)
        streams = try environment.openDatabase("streams", in: transaction)
        tags = try environment.openDatabase("tags", in: transaction)
        commands = try environment.openDatabase("commands", in: transaction)
        meta = try environment.openDatabase("meta", in: transaction)
    }

    func head(in transaction: LMDBTransaction) throws -> LogHead {
        guard let stored = try Self.headKey.withUnsafeBytes({ try transaction.get(meta, key: $0) }) else {
            return .empty
        }
        guard let head = LogHead(stored: stored) else { throw LogError.corruptEntry(position: 0) }
        return head
    }

    /// The version of the newest event in `stream`, 0 when it has none.
    func version(of stream: String, in transaction: LMDBTransaction) throws -> UInt64 {
        let prefix = IndexKey.prefix(stream)
        return try transaction.withCursor(streams) { cursor in
            // The first key after all of the stream's keys, then one back.
            let beyond = try (prefix.dropLast() + [1]).withUnsafeBytes { try cursor.move(MDB_SET_RANGE, key: $0) }
            guard let last = try beyond == nil ? cursor.move(MDB_LAST) : cursor.move(MDB_PREV),
                let version = IndexKey.number(in: last.key, after: prefix)
            else { return 0 }
            return version
        }
    }
}

/// The composite keys of the `streams` and `tags` indexes: a name, a 0x00 byte, a big-endian number.
enum IndexKey {
    /// The name followed by the separator: every key of that name starts with it.
    static func prefix(_ name: String) -> [UInt8] {
        Array(name.utf8) + [0]
    }

    static func make(_ name: String, _ number: UInt64) -> [UInt8] {
        var key = prefix(name)
        withUnsafeBytes(of: number.bigEndian) { key.append(contentsOf: $0) }
        return key
    }

    /// The number of a key that starts with `prefix`, nil for a key of another name.
    static func number(in key: UnsafeRawBufferPointer, after prefix: [UInt8]) -> UInt64? {
        guard key.count == prefix.count + 8, key.starts(with: prefix) else { return nil }
        return key.bigEndianUInt64(at: prefix.count)
    }
}

/// Runs `body` with the UTF-8 bytes of `text`, as an LMDB key.
func withKey<R>(_ text: String, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    var text = text
    return try text.withUTF8 { bytes in try body(UnsafeRawBufferPointer(bytes)) }
}

/// Runs `body` with the big-endian bytes of `value` (a key that sorts like the number).
func withBigEndian<R>(_ value: UInt64, body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try Swift.withUnsafeBytes(of: value.bigEndian) { bytes in try body(bytes) }
}



extension UnsafeRawBufferPointer {
    func bigEndianUInt64(at offset: Int) -> UInt64 {
        UInt64(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
