/// Keys and values packed end to end in one buffer, in the order they were added: how a rebuild hands a whole
/// table to the writer (`LogWriteSession.appendTableRows`) without an allocation per row to make, share across
/// threads and free again.
public struct PackedRows: Sendable {
    private var bytes: [UInt8] = []
    /// Where each row's key ends and its value begins, and where its value ends, in `bytes`.
    private var bounds: [(keyEnd: Int, valueEnd: Int)] = []

    public init() {}

    public var count: Int { bounds.count }

    /// Adds a row after the last one.
    public mutating func append(key: some Sequence<UInt8>, value: some Sequence<UInt8>) {
        bytes.append(contentsOf: key)
        let keyEnd = bytes.count
        bytes.append(contentsOf: value)
        bounds.append((keyEnd, bytes.count))
    }

    /// The same rows in key order (LMDB's: bytes compared unsigned, a prefix first); of rows with equal keys,
    /// the first added comes first (the sort is stable). Sorts within the one buffer, without an allocation per row.
    public func sortedByKey() -> PackedRows {
        bytes.withUnsafeBytes { buffer in
            let order = bounds.indices.sorted { KeyOrder.precedes(key($0, in: buffer), key($1, in: buffer)) }
            var sorted = PackedRows()
            sorted.bytes.reserveCapacity(bytes.count)
            sorted.bounds.reserveCapacity(bounds.count)
            for index in order {
                let (start, keyEnd, valueEnd) = (self.start(of: index), bounds[index].keyEnd, bounds[index].valueEnd)
                sorted.append(key: buffer[start..<keyEnd], value: buffer[keyEnd..<valueEnd])
            }
            return sorted
        }
    }

    /// The key of row `index`.
    func key(at index: Int) -> [UInt8] {
        Array(bytes[start(of: index)..<bounds[index].keyEnd])
    }

    private func start(of index: Int) -> Int {
        index == 0 ? 0 : bounds[index - 1].valueEnd
    }

    private func key(_ index: Int, in buffer: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: buffer[start(of: index)..<bounds[index].keyEnd])
    }

    /// Calls `body` with the key and value of each row in `rows`, in order.
    func forEach(
        in rows: Range<Int>, _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        try bytes.withUnsafeBytes { buffer in
            for index in rows {
                let (keyEnd, valueEnd) = bounds[index]
                try body(
                    UnsafeRawBufferPointer(rebasing: buffer[start(of: index)..<keyEnd]),
                    UnsafeRawBufferPointer(rebasing: buffer[keyEnd..<valueEnd]))
            }
        }
    }
}
