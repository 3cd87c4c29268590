import CPrefetch

/// Keys and values packed end to end: how a rebuild hands a whole table to the writer
/// (`LogWriteSession.appendTableRows`) without an allocation per row to make, share across threads and free
/// again. Keys and values lie in separate buffers, so that sorting reads only the keys, and sorting moves no
/// bytes: it only orders the rows' indices.
public struct PackedRows: Sendable {
    private var keys: [UInt8] = []
    /// The values, each written in place (`append(key:writingValue:)`) rather than built apart and copied in.
    private var values = BinaryWriter(capacity: 0)
    /// Where each row's key and value end, in `keys` and `values`, in the order the rows were added.
    private var ends: [(key: Int, value: Int)] = []
    /// The rows' indices in their order: as added, or by key once sorted.
    private var order: [Int32]?
    /// The shortest and longest key, once the rows are known to rise strictly by key (`latestByKey()`); nil
    /// otherwise. Lets the writer check rows that rise by construction without reading every key again.
    public private(set) var risingKeyLengths: ClosedRange<Int>?

    public init() {}

    /// Rows with room for `rows` rows of `keyBytes` key bytes and `valueBytes` value bytes in all.
    public init(rows: Int, keyBytes: Int = 0, valueBytes: Int = 0) {
        keys.reserveCapacity(keyBytes)
        values = BinaryWriter(capacity: valueBytes)
        ends.reserveCapacity(rows)
    }

    /// How many rows there are (once `latestByKey()` dropped some, how many it kept).
    public var count: Int { order?.count ?? ends.count }

    /// Adds a row after the last one.
    public mutating func append(key: some Sequence<UInt8>, value: some Sequence<UInt8>) {
        appendRow(key: key) { $0.append(encoded: value) }
    }

    /// Adds the deletion of the row at `key` (its bytes, copied) after the last row: an empty value, which
    /// `latestByKey()` drops (a value in the binary format is never empty).
    public mutating func appendDeletion(key: UnsafeRawBufferPointer) {
        append(key: key) { _ in }
    }

    /// Adds a row after the last one, its key the UTF-8 of `key`, its value written by `writeValue` straight into
    /// the rows' buffer. (Called from another module, a generic sequence of bytes would be copied byte by byte
    /// through run-time generics.)
    public mutating func append(key: String, writingValue writeValue: (inout BinaryWriter) throws -> Void) rethrows {
        var key = key
        try key.withUTF8 { try appendRow(key: $0, writingValue: writeValue) }
    }

    /// Adds a row after the last one, its key the bytes `key` (copied), its value written by `writeValue`.
    public mutating func append(
        key: UnsafeRawBufferPointer, writingValue writeValue: (inout BinaryWriter) throws -> Void
    ) rethrows {
        try appendRow(key: key, writingValue: writeValue)
    }

    private mutating func appendRow(key: some Sequence<UInt8>, writingValue writeValue: (inout BinaryWriter) throws -> Void)
        rethrows
    {
        precondition(order == nil, "rows are added before they are sorted")
        keys.append(contentsOf: key)
        try writeValue(&values)
        ends.append((keys.count, values.bytes.count))
    }

    /// The same rows in key order (LMDB's: bytes compared unsigned, a prefix first); of rows with equal keys,
    /// the first added comes first (the sort is stable). Each row's first 24 key bytes are compared as three
    /// numbers, so that keys sharing a long prefix (`application/A2026-…`) are mostly told apart without
    /// reading them again.
    public func sortedByKey() -> PackedRows {
        var sorted = self
        sorted.order = keys.withUnsafeBytes { keyBuffer in
            // Sorted in place: a sorted copy was another array of them, in new memory the system clears page by
            // page, as large as the keys of a big table.
            var sortKeys = ends.indices.map { SortKey(key(Int32($0), in: keyBuffer), index: Int32($0)) }
            sortKeys.sort { a, b in
                a.prefix != b.prefix
                    ? a.prefix < b.prefix
                    : KeyOrder.precedes(key(a.index, in: keyBuffer), key(b.index, in: keyBuffer))
            }
            return sortKeys.map(\.index)
        }
        return sorted
    }

    /// The rows as a log of writes leaves them: in key order, of rows with equal keys only the last added, and
    /// that one left out when it is a deletion (`appendDeletion(key:)`).
    public func latestByKey() -> PackedRows {
        var latest = sortedByKey()
        guard let sorted = latest.order else { return latest }
        var shortest = Int.max, longest = 0
        latest.order = keys.withUnsafeBytes { keyBuffer in
            var kept = [Int32]()
            kept.reserveCapacity(sorted.count)
            for (place, row) in sorted.enumerated() {
                if place + Self.prefetchDistance < sorted.count {
                    sealhall_prefetch(self.key(sorted[place + Self.prefetchDistance], in: keyBuffer).baseAddress)
                }
                let key = key(row, in: keyBuffer)
                // Stable: the last of equal keys is the last in their run.
                if place + 1 < sorted.count, KeyOrder.equal(key, self.key(sorted[place + 1], in: keyBuffer)) { continue }
                if valueIsEmpty(row) { continue }
                kept.append(row)
                shortest = min(shortest, key.count)
                longest = max(longest, key.count)
            }
            return kept
        }
        latest.risingKeyLengths = shortest <= longest ? shortest...longest : 0...0
        return latest
    }

    /// The key of row `index` (in the rows' order).
    func key(at index: Int) -> [UInt8] {
        keys.withUnsafeBytes { Array(key(row(index), in: $0)) }
    }

    /// Calls `body` with the key and value of each row in `rows`, in the rows' order.
    func forEach(
        in rows: Range<Int>, _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        try keys.withUnsafeBytes { keyBuffer in
            try values.bytes.withUnsafeBytes { valueBuffer in
                for index in rows {
                    // Rows in key order lie scattered in the buffers: the ones a few places ahead are fetched
                    // while this one is handled (storing a rebuild's rows took a fifth to a third less time).
                    if index + Self.prefetchDistance < rows.upperBound {
                        let ahead = row(index + Self.prefetchDistance)
                        let key = key(ahead, in: keyBuffer), value = value(ahead, in: valueBuffer)
                        sealhall_prefetch(key.baseAddress)
                        for line in stride(from: 0, to: value.count, by: 64) { sealhall_prefetch(value.baseAddress! + line) }
                    }
                    let row = row(index)
                    try body(key(row, in: keyBuffer), value(row, in: valueBuffer))
                }
            }
        }
    }

    /// How many rows ahead `forEach(in:_:)` and `latestByKey()` fetch a row's bytes.
    private static let prefetchDistance = 8

    /// The row at place `index` in the rows' order.
    private func row(_ index: Int) -> Int32 {
        order?[index] ?? Int32(index)
    }

    private func key(_ row: Int32, in buffer: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let row = Int(row)
        return UnsafeRawBufferPointer(rebasing: buffer[(row == 0 ? 0 : ends[row - 1].key)..<ends[row].key])
    }

    private func valueIsEmpty(_ row: Int32) -> Bool {
        let row = Int(row)
        return ends[row].value == (row == 0 ? 0 : ends[row - 1].value)
    }

    private func value(_ row: Int32, in buffer: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let row = Int(row)
        return UnsafeRawBufferPointer(rebasing: buffer[(row == 0 ? 0 : ends[row - 1].value)..<ends[row].value])
    }

    /// A row's index with its key's first 24 bytes, big-endian, zeros after a shorter key: ordered as the keys
    /// are wherever two prefixes differ.
    private struct SortKey {
        var prefix: (UInt64, UInt64, UInt64)
        var index: Int32

        init(_ key: UnsafeRawBufferPointer, index: Int32) {
            func word(_ start: Int) -> UInt64 {
                var word: UInt64 = 0
                for offset in start..<start + 8 {
                    word = word << 8 | UInt64(offset < key.count ? key[offset] : 0)
                }
                return word
            }
            prefix = (word(0), word(8), word(16))
            self.index = index
        }
    }
}
