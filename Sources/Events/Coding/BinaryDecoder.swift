import Foundation

/// Decodes `Decodable` values from seal-hall's binary format (`BinaryFormat.swift`), from an array or straight
/// from bytes lent for the call (a row or a payload where LMDB keeps it), with no copy.
public struct BinaryDecoder {
    @inlinable public init() {}

    @inlinable
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBytes { try decode(type, from: $0) }
    }

    /// The value of `type` that `bytes` hold, whole; `bytes` need only be valid during the call. (Inlinable, so
    /// that a caller in another module that knows `T` checks for `BinaryReadable` at compile time instead of
    /// casting at run time for every row it reads.)
    @inlinable
    public func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        guard let readable = type as? any BinaryReadable.Type else { return try decodeThroughCodable(type, from: bytes) }
        return try whole(bytes) { try readable.init(from: &$0) as! T }
    }

    /// A value read by hand (`BinaryReadable`) from the whole of `bytes`: a type that is not `Decodable`
    /// itself, such as a few fields read out of a larger value.
    @inlinable
    public func read<T: BinaryReadable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBytes { bytes in try whole(bytes) { try T(from: &$0) } }
    }

    /// The `Decodable` reading, even of a `BinaryReadable` type: what its hand-written reading must equal.
    @usableFromInline
    func decodeThroughCodable<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBytes { try decodeThroughCodable(type, from: $0) }
    }

    @usableFromInline
    func decodeThroughCodable<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        try whole(bytes) { reader in
            let value = try reader.decode(type)
            try reader.skipValue()
            return value
        }
    }

    /// What `read` reads from the start of `bytes`, which it must read to the end.
    @inlinable
    func whole<T>(_ bytes: UnsafeRawBufferPointer, _ read: (inout BinaryReader) throws -> T) throws -> T {
        var reader = BinaryReader(bytes: bytes, offset: 0)
        let value = try read(&reader)
        guard reader.offset == bytes.count else { throw BinaryDecodingError.outOfRange }
        return value
    }
}

/// A position in encoded bytes, with the reads every container shares; hand-written readings
/// (`BinaryReadable`) read their fields through it. The bytes are lent by the decoder's caller for the one
/// decoding: every read checks its bounds against them first.
public struct BinaryReader {
    @usableFromInline let bytes: UnsafeRawBufferPointer
    @usableFromInline var offset: Int

    @usableFromInline
    init(bytes: UnsafeRawBufferPointer, offset: Int) {
        self.bytes = bytes
        self.offset = offset
    }

    @inline(__always)
    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw BinaryDecodingError.truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// A varint; most (lengths, counts, small numbers) are one byte, read here without the loop.
    @inline(__always)
    mutating func varint() throws -> UInt64 {
        if offset < bytes.count, bytes[offset] < 0x80 {
            defer { offset += 1 }
            return UInt64(bytes[offset])
        }
        return try longVarint()
    }

    private mutating func longVarint() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try byte()
            guard shift < 64 else { throw BinaryDecodingError.outOfRange }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    mutating func zigZag() throws -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func expect(_ tag: BinaryTag, _ name: String) throws {
        let found = try byte()
        guard found == tag.rawValue else { throw BinaryDecodingError.unexpectedTag(found, expected: name) }
    }

    mutating func length() throws -> Int {
        let length = try varint()
        guard length <= UInt64(bytes.count - offset) else { throw BinaryDecodingError.truncated }
        return Int(length)
    }

    public mutating func string() throws -> String {
        try expect(.string, "string")
        let count = try length()
        defer { offset += count }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count]), as: UTF8.self)
    }

    mutating func signed() throws -> Int64 {
        try expect(.signed, "integer")
        return try zigZag()
    }

    public mutating func int() throws -> Int {
        guard let value = Int(exactly: try signed()) else { throw BinaryDecodingError.outOfRange }
        return value
    }

    public mutating func unsigned() throws -> UInt64 {
        let tag = try byte()
        switch tag {
        case BinaryTag.unsigned.rawValue: return try varint()
        case BinaryTag.signed.rawValue:
            let value = try zigZag()
            guard value >= 0 else { throw BinaryDecodingError.outOfRange }
            return UInt64(value)
        default: throw BinaryDecodingError.unexpectedTag(tag, expected: "unsigned integer")
        }
    }

    public mutating func bool() throws -> Bool {
        let tag = try byte()
        switch tag {
        case BinaryTag.true.rawValue: return true
        case BinaryTag.false.rawValue: return false
        default: throw BinaryDecodingError.unexpectedTag(tag, expected: "bool")
        }
    }

    public mutating func double() throws -> Double {
        try expect(.double, "double")
        guard offset + 8 <= bytes.count else { throw BinaryDecodingError.truncated }
        var bits: UInt64 = 0
        for index in 0..<8 { bits |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        offset += 8
        return Double(bitPattern: bits)
    }

    var isNil: Bool { offset < bytes.count && bytes[offset] == BinaryTag.null.rawValue }

    /// Moves past one whole value, nested containers included.
    mutating func skipValue() throws {
        let tag = try byte()
        switch tag {
        case BinaryTag.null.rawValue, BinaryTag.false.rawValue, BinaryTag.true.rawValue: break
        case BinaryTag.string.rawValue: offset += try length()
        case BinaryTag.signed.rawValue, BinaryTag.unsigned.rawValue, BinaryTag.date.rawValue: _ = try varint()
        case BinaryTag.double.rawValue:
            guard offset + 8 <= bytes.count else { throw BinaryDecodingError.truncated }
            offset += 8
        case BinaryTag.keyed.rawValue:
            for _ in 0..<(try varint()) {
                offset += try length()
                try skipValue()
            }
        case BinaryTag.unkeyed.rawValue:
            for _ in 0..<(try varint()) { try skipValue() }
        default: throw BinaryDecodingError.unexpectedTag(tag, expected: "a value")
        }
    }

    /// Decodes the value of `type` that starts here; the reader stays where it was.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if type == Date.self {
            var reader = self
            try reader.expect(.date, "date")
            return Microseconds.date(try reader.zigZag()) as! T
        }
        return try T(from: NodeDecoder(bytes: bytes, offset: offset))
    }
}
