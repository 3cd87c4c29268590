import CLMDB
import Foundation

/// The log as one writer batch sees it, own writes included: what a unit of work may read and append.
///
/// A unit's appends are staged in memory (positions, stream versions and hashes assigned at once) and written
/// into the batch's transaction only when the unit returns: a unit that throws leaves no trace, while the
/// other units of the batch still commit.
public struct LogWriteSession {
    let transaction: LMDBTransaction
    let databases: LogDatabases
    let tableHandles: DerivedTableHandles
    let index: LogIndex
    /// The index runs as of the batch's start.
    let runs: IndexRuns
    /// The time every entry of this batch is recorded with.
    let recordedAtMicros: Int64
    /// The head including the current unit's staged entries.
    private(set) var head: LogHead
    /// The head as of the last unit written into the transaction.
    private var writtenHead: LogHead
    /// The head the batch began at: the stored head is written once, at the batch's end, when it moved.
    private let batchStartHead: LogHead
    private var staged: [StagedEntry] = []
    private var stagedVersions: [String: UInt64] = [:]
    private var stagedAppends: [String: RememberedAppend] = [:]
    private var stagedTables = StagedTableWrites()
    private var batchEnd: [(key: String, work: (inout LogWriteSession) throws -> Void)] = []
    /// What the entries written into the transaction so far add to the indexes, for the batch to index.
    private(set) var writtenEntries: [IndexedEntry] = []
    /// The versions of the streams written into the transaction so far.
    private var writtenVersions: [String: UInt64] = [:]

    static let maxStringBytes = 256
    static let maxTags = 64
    static let maxPayloadBytes = 1 << 20
    static let maxEventsPerAppend = 10_000

    /// An encoded, hashed entry waiting for its unit to succeed.
    private struct StagedEntry {
        var position: UInt64
        var stream: String
        var streamVersion: UInt64
        var tags: [String]
        var stored: [UInt8]
    }

    init(
        transaction: LMDBTransaction, databases: LogDatabases, tableHandles: DerivedTableHandles, index: LogIndex,
        runs: IndexRuns, recordedAtMicros: Int64, head: LogHead, commit: BatchCommit
    ) {
        self.commit = commit
        self.transaction = transaction
        self.databases = databases
        self.tableHandles = tableHandles
        self.index = index
        self.runs = runs
        self.recordedAtMicros = recordedAtMicros
        self.head = head
        self.writtenHead = head
        self.batchStartHead = head
    }

    /// Whether this batch's transaction commits durably, resolved once it has or has failed.
    public let commit: BatchCommit

    /// The newest position, counting this batch's appends so far.
    public var headPosition: UInt64 { head.position }

    /// The version of the newest event in `stream`, 0 when it has none (this batch's appends included).
    public func version(of stream: String) throws -> UInt64 {
        if let version = stagedVersions[stream] ?? writtenVersions[stream] { return version }
        return try index.version(of: stream, runs: runs, in: transaction)
    }

    /// Appends `request` under its expectations and idempotency key.
    public mutating func append(_ request: AppendRequest) throws -> AppendResult {
        var fingerprint: [UInt8] = []
        if let key = request.idempotencyKey {
            fingerprint = RememberedAppend.fingerprint(of: request)
            if let earlier = try earlierAppend(for: key) {
                guard earlier.fingerprint == fingerprint else { throw LogError.idempotencyKeyReused(key) }
                return AppendResult(positions: earlier.positions, isDuplicate: true)
            }
        }
        for (stream, expected) in request.expectations.sorted(by: { $0.key < $1.key }) {
            let actual = try version(of: stream)
            guard expected.admits(actual) else {
                throw LogError.wrongExpectedVersion(stream: stream, expected: expected, actual: actual)
            }
        }
        let positions = try append(request.events, actor: request.actor, commandId: request.commandId)
        if let key = request.idempotencyKey {
            stagedAppends[key] = RememberedAppend(positions: positions, fingerprint: fingerprint)
        }
        return AppendResult(positions: positions, isDuplicate: false)
    }

    /// The append made earlier with `key`, if any (this batch's included).
    public func earlierAppend(for key: String) throws -> RememberedAppend? {
        try stagedAppends[key] ?? rememberedAppend(for: key)
    }

    /// The time every entry of this batch is recorded with: the "now" of the commands decided in it.
    public var recordedAt: Date { Microseconds.date(recordedAtMicros) }

    /// Calls `body` with every entry from `position` to the last one written into this batch, `limit` at most.
    public func forEachEntry(from position: UInt64, limit: Int = .max, _ body: (LogEntry) throws -> Void) throws {
        try transaction.withCursor(databases.entries) { cursor in
            var record = try withBigEndian(max(position, 1)) { try cursor.move(MDB_SET_RANGE, key: $0) }
            var remaining = limit
            while let current = record, remaining > 0 {
                remaining -= 1
                guard let entry = EntryCodec.decode(current.value) else {
                    throw LogError.corruptEntry(position: current.key.bigEndianUInt64(at: 0))
                }
                try body(entry)
                record = try cursor.move(MDB_NEXT)
            }
        }
    }

    /// Appends `events` in order, with no condition, and returns their positions.
    public mutating func append(_ events: [NewEvent], actor: String, commandId: String) throws
        -> ClosedRange<UInt64>
    {
        try Self.validate(events, actor: actor, commandId: commandId)
        let first = head.position + 1
        for event in events {
            let streamVersion = try version(of: event.stream) + 1
            let record = EntryCodec.encode(
                EntryCodec.Record(
                    position: head.position + 1, stream: event.stream, streamVersion: streamVersion,
                    type: event.type, schemaVersion: event.schemaVersion, recordedAtMicros: recordedAtMicros,
                    actor: actor, commandId: commandId, tags: event.tags, payload: event.payload))
            let hash = record.withUnsafeBytes { ChainHash.link(after: head.hash, record: $0) }
            var stored = record
            hash.withUnsafeBytes { stored.append(contentsOf: $0) }
            head = LogHead(position: head.position + 1, hash: hash, recordedAtMicros: recordedAtMicros)
            stagedVersions[event.stream] = streamVersion
            staged.append(
                StagedEntry(
                    position: head.position, stream: event.stream, streamVersion: streamVersion, tags: event.tags,
                    stored: stored))
        }
        return first...head.position
    }

    /// Writes the current unit's staged appends into the transaction.
    mutating func writeUnit() throws {
        for entry in staged {
            try withBigEndian(entry.position) { key in
                try entry.stored.withUnsafeBytes { value in
                    try transaction.put(databases.entries, key: key, value: value, flags: MDB_APPEND)
                }
            }
            writtenEntries.append(
                IndexedEntry(
                    position: entry.position, stream: entry.stream, streamVersion: entry.streamVersion, tags: entry.tags))
            writtenVersions[entry.stream] = entry.streamVersion
        }
        for (key, append) in stagedAppends {
            try remember(append, for: key)
        }
        try writeTables()
        writtenHead = head
        clearUnit()
    }

    /// Runs `work` once after the batch's last unit, in the same transaction — however many units ask under
    /// `key`: for what each unit would otherwise write again, such as the position the read models reflect.
    /// Work asked for by a unit that fails still runs, so it must hold whatever the batch's units did; work that
    /// throws fails the whole batch.
    public mutating func atBatchEnd(_ key: String, _ work: @escaping (inout LogWriteSession) throws -> Void) {
        guard !batchEnd.contains(where: { $0.key == key }) else { return }
        batchEnd.append((key, work))
    }

    /// Runs the batch-end work (`atBatchEnd`) as one last unit, then stores the head the batch reached.
    mutating func finishBatch() throws {
        let work = batchEnd
        batchEnd = []
        for (_, work) in work {
            try work(&self)
        }
        try writeUnit()
        guard writtenHead != batchStartHead else { return }
        try LogDatabases.headKey.withUnsafeBytes { key in
            try writtenHead.stored.withUnsafeBytes { value in
                try transaction.put(databases.meta, key: key, value: value)
            }
        }
    }

    /// Forgets the current unit's staged appends.
    mutating func discardUnit() {
        head = writtenHead
        clearUnit()
    }

    private mutating func clearUnit() {
        staged.removeAll(keepingCapacity: true)
        stagedVersions.removeAll(keepingCapacity: true)
        stagedAppends.removeAll(keepingCapacity: true)
        stagedTables.removeAll()
    }

    // MARK: Derived tables

    /// The value of `key` in derived table `table`, this unit's own writes included.
    public func tableValue(_ table: String, key: [UInt8]) throws -> [UInt8]? {
        try withTableValue(table, key: key) { Array($0) }
    }

    /// `body`'s result for the value `tableValue` finds, lent for the call (from LMDB, or from this session's
    /// staged writes); nil when there is none.
    public func withTableValue<R>(_ table: String, key: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        if let staged = stagedTables.value(table, key) { return try staged.map { try $0.withUnsafeBytes(body) } }
        let handle = try tableHandles.handle(table)
        return try key.withUnsafeBytes { try transaction.get(handle, key: $0).map(body) }
    }

    /// Sets (or, with nil, deletes) `key` in derived table `table`; written when the unit succeeds.
    public mutating func setTableValue(_ table: String, key: [UInt8], value: [UInt8]?) throws {
        _ = try tableHandles.handle(table)
        guard !key.isEmpty, key.count <= LMDBTransaction.maxKeySize else { throw LogError.invalidRequest("a table key must be 1 to 511 bytes") }
        stagedTables.set(table, key, value)
    }

    /// Empties derived table `table`; written when the unit succeeds.
    public mutating func clearTable(_ table: String) throws {
        _ = try tableHandles.handle(table)
        stagedTables.clear(table)
    }

    /// Appends rows `range` of `rows` to derived table `table` after its last key: how a rebuild loads a table
    /// it emptied. Written when the unit succeeds (before the unit's `setTableValue`s) with `MDB_APPEND`, which
    /// skips the search for each key's place. The keys must rise strictly, from after the table's last key
    /// (this unit's earlier appends included), or the call throws and stages nothing. The unit's own reads
    /// (`tableValue`) do not see these rows.
    public mutating func appendTableRows(_ table: String, _ rows: PackedRows, _ range: Range<Int>) throws {
        let handle = try tableHandles.handle(table)
        guard !range.isEmpty else { return }
        let last = try stagedTables.appended[table]?.last.map { $0.rows.key(at: $0.range.upperBound - 1) }
            ?? (stagedTables.cleared.contains(table)
                ? nil : transaction.withCursor(handle) { try $0.move(MDB_LAST).map { Array($0.key) } })
        func checkKeys(after last: UnsafeRawBufferPointer?) throws {
            var previous = last
            // Rows that rise by construction need only their lengths checked, and their first key past `last`.
            let checked = rows.risingKeyLengths.map { lengths in
                guard lengths.lowerBound >= 1, lengths.upperBound <= LMDBTransaction.maxKeySize else { return range }
                return range.lowerBound..<range.lowerBound + 1
            } ?? range
            try rows.forEach(in: checked) { key, _ in
                guard !key.isEmpty, key.count <= LMDBTransaction.maxKeySize else {
                    throw LogError.invalidRequest("a table key must be 1 to 511 bytes")
                }
                if let previous, !KeyOrder.precedes(previous, key) {
                    throw LogError.invalidRequest("appended table keys must rise")
                }
                previous = key
            }
        }
        if let last { try last.withUnsafeBytes { try checkKeys(after: $0) } } else { try checkKeys(after: nil) }
        stagedTables.appended[table, default: []].append((rows, range))
    }

    private func writeTables() throws {
        guard !stagedTables.isEmpty else { return }
        for table in stagedTables.cleared {
            try lmdbCheck(mdb_drop(transaction.handle, try tableHandles.handle(table), 0))
        }
        for (table, parts) in stagedTables.appended {
            let handle = try tableHandles.handle(table)
            try transaction.withCursor(handle) { cursor in
                for (rows, range) in parts {
                    try rows.forEach(in: range) { key, value in try cursor.put(key: key, value: value, flags: MDB_APPEND) }
                }
            }
        }
        for (table, values) in stagedTables.values where !values.isEmpty {
            let handle = try tableHandles.handle(table)
            for (key, value) in values {
                try key.bytes.withUnsafeBytes { key in
                    if let value {
                        try value.withUnsafeBytes { try transaction.put(handle, key: key, value: $0) }
                    } else {
                        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
                        let code = mdb_del(transaction.handle, handle, &keyValue, nil)
                        if code != MDB_NOTFOUND { try lmdbCheck(code) }
                    }
                }
            }
        }
    }

    private static func validate(_ events: [NewEvent], actor: String, commandId: String) throws {
        guard !events.isEmpty else { throw LogError.invalidRequest("an append needs at least one event") }
        guard events.count <= maxEventsPerAppend else {
            throw LogError.invalidRequest("at most \(maxEventsPerAppend) events per append")
        }
        try checkText(actor, "actor")
        try checkText(commandId, "command id")
        for event in events {
            try checkText(event.stream, "stream")
            try checkText(event.type, "type")
            guard event.tags.count <= maxTags else { throw LogError.invalidRequest("at most \(maxTags) tags") }
            for tag in event.tags { try checkText(tag, "tag") }
            guard event.payload.count <= maxPayloadBytes else {
                throw LogError.invalidRequest("payload over \(maxPayloadBytes) bytes")
            }
        }
    }

    private static func checkText(_ text: String, _ name: String) throws {
        guard !text.isEmpty, text.utf8.count <= maxStringBytes, !text.utf8.contains(0) else {
            throw LogError.invalidRequest("\(name) must be 1 to \(maxStringBytes) bytes, without NUL")
        }
    }
}
