/// The stored form of a log entry, format 1: a fixed little-endian header, the lengths of the variable fields,
/// the fields' bytes, then the 32-byte chain hash.
///
/// ```
/// 0   u8  format (1)            1  u8  tag count          2  u16 schema version
/// 4   u16 stream length         6  u16 type length        8  u16 actor length
/// 10  u16 command id length     12 u32 payload length
/// 16  u64 position              24 u64 stream version     32 i64 recorded at (µs since 1970, UTC)
/// 40  u16 × tag count: tag lengths
/// …   stream, type, actor, command id, tags, payload (UTF-8 / raw bytes)
/// end 32 bytes: chain hash (not part of the record it hashes)
/// ```
/// A binary layout, because the log is read far more than written: decoding it costs a few loads and one
/// allocation per string, where JSON through Foundation manages about 100,000 entries per second.
enum EntryCodec {
    static let format: UInt8 = 1
    static let headerSize = 40

    /// The fields of an entry before it is hashed: what the writer encodes.
    struct Record {
        var position: UInt64
        var stream: String
        var streamVersion: UInt64
        var type: String
        var schemaVersion: UInt16
        var recordedAtMicros: Int64
        var actor: String
        var commandId: String
        var tags: [String]
        var payload: [UInt8]
    }

    /// The canonical record bytes that the chain hash covers.
    static func encode(_ record: Record) -> [UInt8] {
        let strings = [record.stream, record.type, record.actor, record.commandId] + record.tags
        let stringBytes = strings.reduce(0) { $0 + $1.utf8.count }
        var bytes = [UInt8]()
        bytes.reserveCapacity(headerSize + 2 * record.tags.count + stringBytes + record.payload.count)
        bytes.append(format)
        bytes.append(UInt8(record.tags.count))
        appendLittleEndian(record.schemaVersion, to: &bytes)
        for string in strings.prefix(4) {
            appendLittleEndian(UInt16(string.utf8.count), to: &bytes)
        }
        appendLittleEndian(UInt32(record.payload.count), to: &bytes)
        appendLittleEndian(record.position, to: &bytes)
        appendLittleEndian(record.streamVersion, to: &bytes)
        appendLittleEndian(record.recordedAtMicros, to: &bytes)
        for tag in record.tags {
            appendLittleEndian(UInt16(tag.utf8.count), to: &bytes)
        }
        for string in strings {
            bytes.append(contentsOf: string.utf8)
        }
        bytes.append(contentsOf: record.payload)
        return bytes
    }

    /// The length of the record at the start of a stored value (the rest is the hash), or nil when the value
    /// is not a well-formed format-1 record.
    static func recordLength(of stored: UnsafeRawBufferPointer) -> Int? {
        guard stored.count >= headerSize + ChainHash.byteCount, stored[0] == format else { return nil }
        let tagCount = Int(stored[1])
        let tagLengthsEnd = headerSize + 2 * tagCount
        guard stored.count >= tagLengthsEnd + ChainHash.byteCount else { return nil }
        var length = tagLengthsEnd + Int(u32(stored, 12))
        for offset in stride(from: 4, through: 10, by: 2) {
            length += Int(u16(stored, offset))
        }
        for tag in 0..<tagCount {
            length += Int(u16(stored, headerSize + 2 * tag))
        }
        guard length + ChainHash.byteCount == stored.count else { return nil }
        return length
    }

    /// The position a stored record claims for itself (checked against its key by the verifier).
    static func position(of stored: UnsafeRawBufferPointer) -> UInt64 {
        u64(stored, 16)
    }

    /// Decodes a stored value, or nil when it is not a well-formed record.
    static func decode(_ stored: UnsafeRawBufferPointer) -> LogEntry? {
        guard let recordLength = recordLength(of: stored) else { return nil }
        let tagCount = Int(stored[1])
        var cursor = headerSize + 2 * tagCount
        func nextString(length: Int) -> String {
            defer { cursor += length }
            return String(decoding: UnsafeRawBufferPointer(rebasing: stored[cursor..<cursor + length]), as: UTF8.self)
        }
        let stream = nextString(length: Int(u16(stored, 4)))
        let type = nextString(length: Int(u16(stored, 6)))
        let actor = nextString(length: Int(u16(stored, 8)))
        let commandId = nextString(length: Int(u16(stored, 10)))
        var tags = [String]()
        tags.reserveCapacity(tagCount)
        for tag in 0..<tagCount {
            tags.append(nextString(length: Int(u16(stored, headerSize + 2 * tag))))
        }
        let payload = [UInt8](UnsafeRawBufferPointer(rebasing: stored[cursor..<recordLength]))
        return LogEntry(
            position: u64(stored, 16),
            stream: stream,
            streamVersion: u64(stored, 24),
            type: type,
            schemaVersion: u16(stored, 2),
            recordedAt: Microseconds.date(Int64(bitPattern: u64(stored, 32))),
            actor: actor,
            commandId: commandId,
            tags: tags,
            payload: payload,
            hash: ChainHash(bytes: UnsafeRawBufferPointer(rebasing: stored[recordLength...])))
    }

    /// Decodes only what a replay needs of a stored value, its payload left in `stored`, or nil when it is not a
    /// well-formed record; its type name comes from `names`.
    static func decodeEventRecord(_ stored: UnsafeRawBufferPointer, names: inout TypeNames) -> EventRecordView? {
        guard let recordLength = recordLength(of: stored) else { return nil }
        let tagCount = Int(stored[1])
        let (streamLength, typeLength) = (Int(u16(stored, 4)), Int(u16(stored, 6)))
        let actorLength = Int(u16(stored, 8))
        let typeStart = headerSize + 2 * tagCount + streamLength
        let actorStart = typeStart + typeLength
        let payloadLength = Int(u32(stored, 12))
        func string(_ start: Int, _ length: Int) -> String {
            String(decoding: UnsafeRawBufferPointer(rebasing: stored[start..<start + length]), as: UTF8.self)
        }
        let type = names.type(UnsafeRawBufferPointer(rebasing: stored[typeStart..<typeStart + typeLength]))
        return EventRecordView(
            position: u64(stored, 16), type: type.name, typeIndex: type.index, schemaVersion: u16(stored, 2),
            recordedAt: Microseconds.date(Int64(bitPattern: u64(stored, 32))), actor: string(actorStart, actorLength),
            payload: UnsafeRawBufferPointer(rebasing: stored[recordLength - payloadLength..<recordLength]))
    }

    private static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    private static func u16(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inline(__always)
    private static func u32(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    private static func u64(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
