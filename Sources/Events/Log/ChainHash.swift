import Crypto

/// A SHA-256 link of the log's hash chain: `hash(n) = SHA-256(hash(n-1) ‖ record(n))`, with 32 zero bytes
/// standing before entry 1. Held in four words so that decoding an entry allocates nothing for it.
public struct ChainHash: Hashable, Sendable, CustomStringConvertible {
    private var word0: UInt64
    private var word1: UInt64
    private var word2: UInt64
    private var word3: UInt64

    /// The value that precedes the first entry.
    public static let genesis = ChainHash(word0: 0, word1: 0, word2: 0, word3: 0)

    /// The number of bytes a hash occupies when stored.
    static let byteCount = 32

    private init(word0: UInt64, word1: UInt64, word2: UInt64, word3: UInt64) {
        self.word0 = word0
        self.word1 = word1
        self.word2 = word2
        self.word3 = word3
    }

    /// Reads a hash from the first 32 bytes of `bytes`.
    init(bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count >= Self.byteCount)
        word0 = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        word1 = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        word2 = bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        word3 = bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
    }

    /// Parses 64 hexadecimal digits.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self = bytes.withUnsafeBytes { ChainHash(bytes: $0) }
    }

    /// The link that follows `previous` for an entry whose canonical record is `record`.
    static func link(after previous: ChainHash, record: UnsafeRawBufferPointer) -> ChainHash {
        var hasher = SHA256()
        previous.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: record)
        return hasher.finalize().withUnsafeBytes { ChainHash(bytes: $0) }
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var copy = self
        return try Swift.withUnsafeBytes(of: &copy, body)
    }

    /// The 64 lowercase hexadecimal digits of the hash.
    public var hex: String {
        withUnsafeBytes { Hex.encode($0) }
    }

    public var description: String { hex }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
