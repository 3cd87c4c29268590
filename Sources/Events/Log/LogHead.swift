/// The newest committed entry: its position (0 for an empty log) and its chain hash.
public struct LogHead: Sendable, Equatable {
    public var position: UInt64
    public var hash: ChainHash
    /// When the newest entry was recorded (microseconds since 1970, UTC); recorded times never go back.
    var recordedAtMicros: Int64

    public static let empty = LogHead(position: 0, hash: .genesis, recordedAtMicros: 0)

    /// The stored form in the meta database: position, hash, time.
    static let storedSize = 8 + ChainHash.byteCount + 8

    init(position: UInt64, hash: ChainHash, recordedAtMicros: Int64) {
        self.position = position
        self.hash = hash
        self.recordedAtMicros = recordedAtMicros
    }

    init?(stored bytes: UnsafeRawBufferPointer) {
        guard bytes.count == Self.storedSize else { return nil }
        position = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        hash = ChainHash(bytes: UnsafeRawBufferPointer(rebasing: bytes[8..<40]))
        recordedAtMicros = Int64(bigEndian: bytes.loadUnaligned(fromByteOffset: 40, as: Int64.self))
    }

    var stored: [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(Self.storedSize)
        withUnsafeBytes(of: position.bigEndian) { bytes.append(contentsOf: $0) }
        hash.withUnsafeBytes { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: recordedAtMicros.bigEndian) { bytes.append(contentsOf: $0) }
        return bytes
    }
}
