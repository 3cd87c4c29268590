import Foundation

/// A value that reads its binary form (`BinaryFormat.swift`) by hand, as its `Decodable` conformance would: fields
/// in any order, unknown ones skipped, absent or nil optionals as nil, a missing required field an error.
/// `BinaryDecoder` takes this path whenever a type offers it: replaying the log at start-up and rebuilding read
/// models decode every submission, and through `Decodable` that was half of the replay.
public protocol BinaryReadable {
    init(from reader: inout BinaryReader) throws
}

/// A field's name as a keyed container holds it, matched against the names a reader knows (`case "title":`)
/// byte for byte, without a `String` made of it and checked for every field read. Valid only inside the
/// `BinaryReader.fields` call that hands it over.
public struct FieldName {
    let bytes: UnsafeRawBufferPointer

    @inline(__always)
    public static func ~= (pattern: StaticString, name: FieldName) -> Bool {
        name == pattern
    }

    /// Compared in place (`bytesEqual`).
    @inline(__always)
    public static func == (name: FieldName, text: StaticString) -> Bool {
        name.bytes.count == text.utf8CodeUnitCount && bytesEqual(name.bytes, UnsafeRawPointer(text.utf8Start))
    }
}

extension BinaryReader {
    /// Reads a keyed container, calling `field` with each key; `field` reads the value, or returns false to
    /// have it skipped.
    public mutating func fields(_ field: (FieldName, inout BinaryReader) throws -> Bool) throws {
        try expect(.keyed, "keyed container")
        let fieldCount = try varint()
        for _ in 0..<fieldCount {
            let count = try length()
            let name = FieldName(bytes: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count]))
            offset += count
            if try !field(name, &self) { try skipValue() }
        }
    }

    /// The elements of an unkeyed container, each read by `element`.
    public mutating func array<T>(_ element: (inout BinaryReader) throws -> T) throws -> [T] {
        try expect(.unkeyed, "unkeyed container")
        let count = try varint()
        guard count <= UInt64(bytes.count - offset) else { throw BinaryDecodingError.truncated }
        var elements = [T]()
        elements.reserveCapacity(Int(count))
        for _ in 0..<count { elements.append(try element(&self)) }
        return elements
    }

    public mutating func date() throws -> Date {
        try expect(.date, "date")
        return Microseconds.date(try zigZag())
    }

    /// A string-valued enumeration.
    public mutating func value<T: RawRepresentable>(_ type: T.Type = T.self) throws -> T where T.RawValue == String {
        let raw = try string()
        guard let value = T(rawValue: raw) else { throw BinaryDecodingError.unexpectedValue(raw) }
        return value
    }

    /// nil for an encoded nil, or the value `read` reads.
    public mutating func optional<T>(_ read: (inout BinaryReader) throws -> T) throws -> T? {
        if isNil {
            offset += 1
            return nil
        }
        return try read(&self)
    }

    /// Reads a value of a `BinaryReadable` type.
    public mutating func read<T: BinaryReadable>(_ type: T.Type = T.self) throws -> T {
        try T(from: &self)
    }
}

/// `value`, or the error that the required field `key` is missing.
public func required<T>(_ value: T?, _ key: String) throws -> T {
    guard let value else { throw BinaryDecodingError.missingKey(key) }
    return value
}

extension Bool: BinaryReadable {
    public init(from reader: inout BinaryReader) throws { self = try reader.bool() }
}

extension Int: BinaryReadable {
    public init(from reader: inout BinaryReader) throws { self = try reader.int() }
}

extension String: BinaryReadable {
    public init(from reader: inout BinaryReader) throws { self = try reader.string() }
}

extension Array: BinaryReadable where Element: BinaryReadable {
    public init(from reader: inout BinaryReader) throws { self = try reader.array { try $0.read(Element.self) } }
}
