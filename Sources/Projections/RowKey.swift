/// A row's key as `MemoryRows` holds it. Up to 48 bytes of UTF-8 — nearly every key — lie inline, so that
/// hashing, comparing and moving a key never reaches into the heap: a dictionary of a million `String` keys spent
/// much of its time on cache misses fetching keys it probed past, or moved when a row was deleted. Longer keys
/// stay text.
enum RowKey: Hashable {
    case inline(InlineKeyBytes)
    case long(String)

    init(_ text: String) {
        var utf8 = text
        self = utf8.withUTF8 { bytes in
            bytes.count <= InlineKeyBytes.capacity ? .inline(InlineKeyBytes(bytes)) : .long(text)
        }
    }

    /// Calls `body` with the key's UTF-8.
    func withUTF8<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch self {
        case .inline(let bytes): return try bytes.withBytes(body)
        case .long(let text):
            var text = text
            return try text.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
        }
    }
}

/// Up to 48 bytes held in six words, zeros after the last.
struct InlineKeyBytes: Hashable {
    static let capacity = 48

    private var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
    private let count: UInt8

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        precondition(bytes.count <= Self.capacity)
        count = UInt8(bytes.count)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
    }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: words) { try body(UnsafeRawBufferPointer(rebasing: $0[..<Int(count)])) }
    }

    static func == (a: Self, b: Self) -> Bool {
        a.count == b.count && a.words == b.words
    }

    func hash(into hasher: inout Hasher) {
        withBytes { hasher.combine(bytes: $0) }
    }
}
