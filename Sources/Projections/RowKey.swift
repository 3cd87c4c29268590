/// A row's key, as a projection names it (`"application/\(id)"`) and as `MemoryRows` holds it.
///
/// Up to 48 bytes of UTF-8 — nearly every key — lie inline, so that hashing, comparing and moving a key never
/// reaches into the heap: a dictionary of a million `String` keys spent much of its time on cache misses fetching
/// keys it probed past, or moved when a row was deleted. Longer keys stay text. A key written as a string
/// interpolation is built straight into its inline bytes (`StringInterpolation`), with no `String` made, grown
/// and freed for each row a projection touches.
public struct RowKey: Hashable, Sendable {
    /// The key's bytes, inline when they fit, else its text: one form for each text, so that a key is equal
    /// to another exactly when their texts are.
    enum Storage: Hashable, Sendable {
        case inline(InlineKeyBytes)
        case long(String)
    }

    let storage: Storage

    init(storage: Storage) {
        self.storage = storage
    }

    /// The key `text`.
    public init(_ text: String) {
        var interpolation = StringInterpolation(literalCapacity: 0, interpolationCount: 0)
        interpolation.append(text)
        self = interpolation.key
    }

    /// The hash a dictionary places the key by: for an inline key, its six words mixed by multiplication, in a
    /// few nanoseconds (through `Hasher`, SipHash over the bytes, a rebuild spent a twentieth of its time
    /// hashing keys). The key stays `Hashable` through its bytes for every other use.
    public func _rawHashValue(seed: Int) -> Int {
        switch storage {
        case .inline(let bytes): bytes.mixedHash(seed: seed)
        case .long(let text): text._rawHashValue(seed: seed)
        }
    }

    /// Calls `body` with the key's UTF-8.
    func withUTF8<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch storage {
        case .inline(let bytes): return try bytes.withBytes(body)
        case .long(let text):
            var text = text
            return try text.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
        }
    }
}

extension RowKey: CustomStringConvertible {
    /// The key's text.
    public var description: String {
        switch storage {
        case .inline(let bytes): bytes.withBytes { String(decoding: $0, as: UTF8.self) }
        case .long(let text): text
        }
    }
}

extension RowKey: ExpressibleByStringInterpolation {
    public init(stringLiteral text: String) {
        self.init(text)
    }

    public init(stringInterpolation: StringInterpolation) {
        self = stringInterpolation.key
    }

    /// A key being written from its parts, each appended to its inline bytes while they fit, then to text.
    public struct StringInterpolation: StringInterpolationProtocol {
        private var inline = InlineKeyBytes()
        /// The text so far, once it outgrew the inline bytes.
        private var long: String?

        public init(literalCapacity: Int, interpolationCount: Int) {}

        public mutating func appendLiteral(_ literal: String) {
            append(literal)
        }

        public mutating func appendInterpolation(_ part: String) {
            append(part)
        }

        public mutating func appendInterpolation(_ number: Int) {
            append(String(number))
        }

        mutating func append(_ text: String) {
            if long == nil {
                // Read in place where the text lies contiguous, as a native string does, without a copy.
                let fitted =
                    text.utf8.withContiguousStorageIfAvailable { inline.append($0) }
                    ?? { var contiguous = text; return contiguous.withUTF8 { inline.append($0) } }()
                if fitted { return }
                long = inline.withBytes { String(decoding: $0, as: UTF8.self) }
            }
            long? += text
        }

        var key: RowKey {
            RowKey(storage: long.map(Storage.long) ?? .inline(inline))
        }
    }
}

/// Up to 48 bytes held in six words, zeros after the last.
struct InlineKeyBytes: Hashable, Sendable {
    static let capacity = 48

    private var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
    private var count: UInt8 = 0

    /// No bytes.
    init() {}

    /// Appends `bytes` when they fit; returns false, changing nothing, when they do not.
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(count)
        guard bytes.count <= Self.capacity - start else { return false }
        if let source = bytes.baseAddress {
            withUnsafeMutableBytes(of: &words) { words in
                (words.baseAddress! + start).copyMemory(from: source, byteCount: bytes.count)
            }
        }
        count += UInt8(bytes.count)
        return true
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
