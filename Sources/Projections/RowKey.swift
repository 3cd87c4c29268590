/// A row's key as `MemoryRows` holds it. Up to 48 bytes of UTF-8 — nearly every key — lie inline, so that
/// hashing, comparing and moving a key never reaches into the heap: a dictionary of a million `String` keys spent
/// much of its time on cache misses fetching keys it probed past, or moved when a row was deleted. Longer keys
/// stay text.
enum RowKey: Hashable {
    case inline(InlineKeyBytes)
    case long(String)

    init(_ text: String) {
        // Read in place where the text lies contiguous, as a native string does: copying it into a `var` to call
        // `withUTF8` retained and released its storage for every key.
        let make = { (bytes: UnsafeBufferPointer<UInt8>) -> RowKey in
            bytes.count <= InlineKeyBytes.capacity ? .inline(InlineKeyBytes(bytes)) : .long(text)
        }
        if let key = text.utf8.withContiguousStorageIfAvailable(make) {
            self = key
        } else {
            var contiguous = text
            self = contiguous.withUTF8(make)
        }
    }

    /// The hash a dictionary places the key by: for an inline key, its six words mixed by multiplication, in a
    /// few nanoseconds (through `Hasher`, SipHash over the bytes, a rebuild spent a twentieth of its time
    /// hashing keys). The key stays `Hashable` through its bytes for every other use.
    func _rawHashValue(seed: Int) -> Int {
        switch self {
        case .inline(let bytes): bytes.mixedHash(seed: seed)
        case .long(let text): text._rawHashValue(seed: seed)
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

    /// The words and the count mixed with `seed`, each word multiplied in and folded (as splitmix64 and
    /// wyhash mix), so that keys sharing a long prefix still spread.
    func mixedHash(seed: Int) -> Int {
        func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
            let product = (hash ^ word).multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
            return product.high ^ product.low
        }
        var hash = UInt64(UInt(bitPattern: seed)) ^ UInt64(count)
        hash = mix(hash, words.0)
        hash = mix(hash, words.1)
        hash = mix(hash, words.2)
        hash = mix(hash, words.3)
        hash = mix(hash, words.4)
        hash = mix(hash, words.5)
        return Int(truncatingIfNeeded: hash)
    }
}
