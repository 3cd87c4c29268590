import CLMDB

/// The named LMDB databases that make up the log, and how their keys are laid out.
///
/// - `entries`: big-endian position → stored entry (`EntryCodec`), appended with `MDB_APPEND`.
/// - `postings`: the stream and tag indexes, as sorted runs (`IndexRuns`; newer entries are indexed in memory
///   by `IndexTail`).
/// - `commands`: idempotency key → first and last position and the request's fingerprint.
/// - `meta`: `head` → the newest entry's position, hash and time; `index-runs` → the runs' catalogue.
struct LogDatabases: Sendable {
    let entries: LMDBDatabase
    let postings: LMDBDatabase
    let commands: LMDBDatabase
    let meta: LMDBDatabase

    static let headKey = Array("head".utf8)

    init(opening environment: LMDBEnvironment, in transaction: LMDBTransaction) throws {
        entries = try environment.openDatabase("entries", in: transaction)
        postings = try environment.openDatabase("postings", in: transaction)
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
}

/// Composite keys: a name, a 0x00 byte, a big-endian number (the index runs' keys end with one).
enum IndexKey {
    /// The name followed by the separator: every key of that name starts with it.
    static func prefix(_ name: String) -> [UInt8] {
        Array(name.utf8) + [0]
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
