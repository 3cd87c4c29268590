import CLMDB
import Foundation

extension EventLog {
    /// How many entries one read transaction serves before the next one begins.
    static let readChunk = 4096

    /// The entry at `position`, or nil beyond the head.
    public func entry(at position: UInt64) throws -> LogEntry? {
        try environment.read { try readEntry(at: position, in: $0) }
    }

    /// Up to `limit` entries from `position` on, read in one short transaction.
    public func entries(from position: UInt64, limit: Int) throws -> [LogEntry] {
        var entries = [LogEntry]()
        try forEachEntry(from: position, limit: limit) { entries.append($0) }
        return entries
    }

    /// Calls `body` with every entry from `position` on, in order, `limit` at most, reading in chunks of short
    /// transactions; stops where the head was when the walk reached it.
    public func forEachEntry(from position: UInt64, limit: Int = .max, _ body: (LogEntry) throws -> Void) throws {
        try forEachStored(from: position, limit: limit) { stored, position in try body(decode(stored, at: position)) }
    }

    /// Up to `limit` entries from `position` on as replays read them (`EventRecord`: no stream, command id, tags
    /// or hash), upcast, read in one short transaction.
    public func eventRecords(from position: UInt64, limit: Int) throws -> [EventRecord] {
        try eventRecords(from: position, limit: limit) { $0.record }
    }

    /// Up to `limit` entries from `position` on, each read as an upcast record and lent to `transform` as it is
    /// read, its payload where LMDB keeps it (a replay decodes it there, with no copy and no array of records in
    /// between); an entry of an older schema is upcast into a payload of its own first.
    public func eventRecords<T>(from position: UInt64, limit: Int, _ transform: (EventRecordView) throws -> T) throws -> [T] {
        var results = [T]()
        results.reserveCapacity(min(limit, Self.readChunk))
        var names = TypeNames(upcasters: upcasters)
        try forEachStored(from: position, limit: limit) { stored, position in
            guard let view = EntryCodec.decodeEventRecord(stored, names: &names) else {
                throw LogError.corruptEntry(position: position)
            }
            if names.upcasts(view.type, at: view.typeIndex, from: view.schemaVersion) {
                let upcast = try upcasters.upcast(view.record)
                results.append(try EventRecordView.with(upcast, typeIndex: view.typeIndex, transform))
            } else {
                results.append(try transform(view))
            }
        }
        return results
    }

    private func forEachStored(
        from position: UInt64, limit: Int, _ body: (UnsafeRawBufferPointer, UInt64) throws -> Void
    ) throws {
        var next = max(position, 1)
        var remaining = limit
        while remaining > 0 {
            let read = try environment.read { transaction in
                try transaction.withCursor(databases.entries) { cursor in
                    var count = 0
                    var record = try withBigEndian(next) { try cursor.move(MDB_SET_RANGE, key: $0) }
                    while let current = record, count < min(remaining, Self.readChunk) {
                        try body(current.value, current.key.bigEndianUInt64(at: 0))
                        count += 1
                        record = try cursor.move(MDB_NEXT)
                    }
                    return count
                }
            }
            guard read > 0 else { return }
            next += UInt64(read)
            remaining -= read
        }
    }

    /// The version of the newest event in `stream`: 0 when it has none.
    public func version(of stream: String) throws -> UInt64 {
        try environment.read { try index.newestPosting(of: .stream(stream), in: $0)?.number ?? 0 }
    }

    /// The events of `stream` from version `fromVersion` on, in order.
    public func stream(_ stream: String, fromVersion: UInt64 = 1, limit: Int = .max) throws -> [LogEntry] {
        try indexed(.stream(stream), from: fromVersion, limit: limit, isPastEnd: { _ in false })
    }

    /// The entries tagged `tag`, in log order: through `position` and recorded no later than `time`, when given.
    ///
    /// Served from the tag index, so it costs in proportion to the tag's own entries (and a seek per index
    /// run), not the log's.
    public func tagged(_ tag: String, through position: UInt64? = nil, asOf time: Date? = nil, limit: Int = .max)
        throws -> [LogEntry]
    {
        let isPastEnd = { (entry: LogEntry) in
            entry.position > (position ?? .max) || time.map { entry.recordedAt > $0 } ?? false
        }
        return try indexed(.tag(tag), from: 0, limit: limit, isPastEnd: isPastEnd)
    }

    /// The entries indexed under `name` from `number` on: their positions read in one transaction, the entries
    /// then a chunk per read transaction.
    /// - Parameter isPastEnd: true for the first entry past the end wanted (entries come in log order).
    private func indexed(_ name: IndexName, from number: UInt64, limit: Int, isPastEnd: (LogEntry) -> Bool) throws
        -> [LogEntry]
    {
        let postings = try environment.read { try index.postings(of: name, from: number, in: $0) }.prefix(limit)
        var entries = [LogEntry]()
        entries.reserveCapacity(postings.count)
        var isDone = false
        var next = postings.startIndex
        while !isDone && next < postings.endIndex {
            let chunk = postings[next..<min(next + Self.readChunk, postings.endIndex)]
            try environment.read { transaction in
                for posting in chunk {
                    guard let entry = try readEntry(at: posting.position, in: transaction) else {
                        throw LogError.corruptEntry(position: posting.position)
                    }
                    if isPastEnd(entry) {
                        isDone = true
                        return
                    }
                    entries.append(entry)
                }
            }
            next = chunk.endIndex
        }
        return entries
    }

    func readEntry(at position: UInt64, in transaction: LMDBTransaction) throws -> LogEntry? {
        guard let stored = try withBigEndian(position, body: { try transaction.get(databases.entries, key: $0) })
        else { return nil }
        return try decode(stored, at: position)
    }

    private func decode(_ stored: UnsafeRawBufferPointer, at position: UInt64) throws -> LogEntry {
        guard let entry = EntryCodec.decode(stored) else { throw LogError.corruptEntry(position: position) }
        return try upcasters.upcast(entry)
    }
}
