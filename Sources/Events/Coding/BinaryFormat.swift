import Foundation

/// seal-hall's binary form of `Codable` values, used for event payloads.
///
/// Self-describing like JSON — every value carries a one-byte tag, keyed containers keep their field names —
/// so payloads can gain fields, leave optionals out, and be read without their type; but compact and cheap to
/// read: no text to parse, lengths up front, times as exact microseconds.
///
/// ```
/// 0x00 nil            0x01 string: varint length, UTF-8     0x02 signed integer: zig-zag varint
/// 0x03 unsigned: varint   0x04 false   0x05 true   0x06 double: 8 bytes little-endian
/// 0x07 date: zig-zag varint of microseconds since 1970 (UTC)
/// 0x10 keyed container: varint count, then per field: varint key length, key UTF-8, value
/// 0x11 unkeyed container: varint count, then the values
/// ```
enum BinaryTag: UInt8 {
    case null = 0x00
    case string = 0x01
    case signed = 0x02
    case unsigned = 0x03
    case `false` = 0x04
    case `true` = 0x05
    case double = 0x06
    case date = 0x07
    case keyed = 0x10
    case unkeyed = 0x11
}

/// Why bytes could not be read as the type asked for.
public enum BinaryDecodingError: Error, Equatable {
    case truncated
    case unexpectedTag(UInt8, expected: String)
    case missingKey(String)
    case outOfRange
    case invalidUTF8
    /// A string that names no case of the enumeration read.
    case unexpectedValue(String)
}

extension Array where Element == UInt8 {
    mutating func appendVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        append(UInt8(value))
    }
}
