/// Keys and values packed end to end, in the order they were added: how a rebuild hands a whole table to the
/// writer (`LogWriteSession.appendTableRows`) without an allocation per row to make, share across threads and
/// free again. Keys and values lie in separate buffers, so that sorting reads only the keys.
public struct PackedRows: Sendable {
    private var keys: [UInt8] = []
    private var values: [UInt8] = []
    /// Where each row's key and value end, in `keys` and `values`.
    private var ends: [(key: Int, value: Int)] = []

    public init() {}

    public var count: Int { ends.count }

    /// Adds a row after the last one.
    public mutating func append(key: some Sequence<UInt8>, value: some Sequence<UInt8>) {
        keys.append(contentsOf: key)
        values.append(contentsOf: value)
        ends.append((keys.count, values.count))
    }

    /// The same rows in key order (LMDB's: bytes compared unsigned, a prefix first); of rows with equal keys,
    /// the first added comes first (the sort is stable). Each row's first eight key bytes are compared as one
    /// number, so most comparisons read no key at all.
    public func sortedByKey() -> PackedRows {
        keys.withUnsafeBytes { keyBuffer in
            values.withUnsafeBytes { valueBuffer in
                let order = ends.indices.map { (prefix: Self.prefix(key($0, in: keyBuffer)), index: $0) }.sorted { a, b in
                    a.prefix != b.prefix
                        ? a.prefix < b.prefix : KeyOrder.precedes(key(a.index, in: keyBuffer), key(b.index, in: keyBuffer))
                }
                var sorted = PackedRows()
                sorted.keys.reserveCapacity(keys.count)
                sorted.values.reserveCapacity(values.count)
                sorted.ends.reserveCapacity(ends.count)
                for (_, index) in order {
                    sorted.append(key: key(index, in: keyBuffer), value: value(index, in: valueBuffer))
                }
                return sorted
            }
        }
    }

    /// The key of row `index`.
    func key(at index: Int) -> [UInt8] {
        keys.withUnsafeBytes { Array(key(index, in: $0)) }
    }

    /// Calls `body` with the key and value of each row in `rows`, in order.
    func forEach(
        in rows: Range<Int>, _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        try keys.withUnsafeBytes { keyBuffer in
            try values.withUnsafeBytes { valueBuffer in
                for index in rows {
                    try body(key(index, in: keyBuffer), value(index, in: valueBuffer))
                }
            }
        }
    }

    private func key(_ index: Int, in buffer: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: buffer[(index == 0 ? 0 : ends[index - 1].key)..<ends[index].key])
    }

    private func value(_ index: Int, in buffer: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: buffer[(index == 0 ? 0 : ends[index - 1].value)..<ends[index].value])
    }

    /// The first eight bytes of `key`, big-endian, zeros after a shorter key: ordered as the keys are wherever
    /// two prefixes differ.
    private static func prefix(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var prefix: UInt64 = 0
        for offset in 0..<8 {
            prefix = prefix << 8 | UInt64(offset < key.count ? key[offset] : 0)
        }
        return prefix
    }
}
