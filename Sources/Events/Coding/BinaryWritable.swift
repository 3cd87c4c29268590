import Foundation

/// A value that writes its binary form (`BinaryFormat.swift`) by hand: the same bytes its `Encodable`
/// conformance gives through `BinaryEncoder`, without building a tree of boxed values first. For the rows the
/// writer stores on every command; `BinaryEncoder` takes this path whenever a value offers it, and each such
/// type is tested against its `Encodable` form.
public protocol BinaryWritable {
    func write(to writer: inout BinaryWriter)
}

/// Writes seal-hall's binary format value by value. A keyed container is announced with its field count, as
/// synthesized `Encodable` writes it: the fields it encodes, in declaration order, nil optionals left out.
public struct BinaryWriter: Sendable {
    public private(set) var bytes: [UInt8]
    /// True once a time was written with more precision than the format's microseconds: the bytes then read
    /// back as a value that differs from the one written.
    public private(set) var roundedTimes = false

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// A keyed container of `fields` fields; each follows as `key(_:)` and its value.
    public mutating func keyed(fields: Int) {
        bytes.append(BinaryTag.keyed.rawValue)
        bytes.appendVarint(UInt64(fields))
    }

    public mutating func key(_ key: StaticString) {
        bytes.appendVarint(UInt64(key.utf8CodeUnitCount))
        bytes.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
    }

    public mutating func key(_ key: String) {
        bytes.appendVarint(UInt64(key.utf8.count))
        bytes.append(contentsOf: key.utf8)
    }

    /// An unkeyed container of `count` values, which follow.
    public mutating func unkeyed(count: Int) {
        bytes.append(BinaryTag.unkeyed.rawValue)
        bytes.appendVarint(UInt64(count))
    }

    /// The values another writer wrote: a container's values written apart, appended once their count is known.
    public mutating func append(_ other: BinaryWriter) {
        bytes.append(contentsOf: other.bytes)
        roundedTimes = roundedTimes || other.roundedTimes
    }

    /// Bytes already in the format (a value encoded apart), as they are.
    public mutating func append(encoded: some Sequence<UInt8>) {
        bytes.append(contentsOf: encoded)
    }

    /// An encoded nil (what an unkeyed container holds for a nil element).
    public mutating func null() {
        bytes.append(BinaryTag.null.rawValue)
    }

    public mutating func string(_ value: String) {
        var value = value
        // Through the string's contiguous UTF-8: appending `value.utf8` went through a copy range by range.
        value.withUTF8 { utf8 in
            bytes.append(BinaryTag.string.rawValue)
            bytes.appendVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    public mutating func signed(_ value: Int) {
        signed(Int64(value))
    }

    public mutating func signed(_ value: Int64) {
        bytes.append(BinaryTag.signed.rawValue)
        bytes.appendZigZag(value)
    }

    public mutating func unsigned(_ value: UInt64) {
        bytes.append(BinaryTag.unsigned.rawValue)
        bytes.appendVarint(value)
    }

    public mutating func double(_ value: Double) {
        bytes.append(BinaryTag.double.rawValue)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func bool(_ value: Bool) {
        bytes.append(value ? BinaryTag.true.rawValue : BinaryTag.false.rawValue)
    }

    public mutating func date(_ value: Date) {
        let micros = Microseconds.from(value)
        if !roundedTimes && Microseconds.date(micros) != value { roundedTimes = true }
        date(micros: micros)
    }

    /// A time as microseconds since 1970 (UTC).
    public mutating func date(micros: Int64) {
        bytes.append(BinaryTag.date.rawValue)
        bytes.appendZigZag(micros)
    }

    public mutating func field(_ key: StaticString, _ value: String) {
        self.key(key)
        string(value)
    }

    public mutating func field(_ key: StaticString, _ value: Int) {
        self.key(key)
        signed(value)
    }

    public mutating func field(_ key: StaticString, _ value: UInt64) {
        self.key(key)
        unsigned(value)
    }

    public mutating func field(_ key: StaticString, _ value: Double) {
        self.key(key)
        double(value)
    }

    public mutating func field(_ key: StaticString, _ value: Bool) {
        self.key(key)
        bool(value)
    }

    public mutating func field(_ key: StaticString, _ value: Date) {
        self.key(key)
        date(value)
    }

    public mutating func field<Value: RawRepresentable>(_ key: StaticString, _ value: Value) where Value.RawValue == String {
        field(key, value.rawValue)
    }

    public mutating func field(_ key: StaticString, _ values: [String]) {
        self.key(key)
        unkeyed(count: values.count)
        for value in values { string(value) }
    }

    public mutating func field<Value: RawRepresentable>(_ key: StaticString, _ values: [Value]) where Value.RawValue == String {
        self.key(key)
        unkeyed(count: values.count)
        for value in values { string(value.rawValue) }
    }

    public mutating func field(_ key: StaticString, _ values: [some BinaryWritable]) {
        self.key(key)
        unkeyed(count: values.count)
        for value in values { value.write(to: &self) }
    }

    /// The field `key` with `value` when it is not nil; nothing when it is (and it is not counted).
    public mutating func field(_ key: StaticString, _ value: String?) {
        if let value { field(key, value) }
    }

    public mutating func field(_ key: StaticString, _ value: Date?) {
        if let value { field(key, value) }
    }

    public mutating func field<Value: RawRepresentable>(_ key: StaticString, _ value: Value?) where Value.RawValue == String {
        if let value { field(key, value.rawValue) }
    }
}

/// Flags stored as rows (`true` marks a grant, a custodian, a pending application).
extension Bool: BinaryWritable {
    public func write(to writer: inout BinaryWriter) { writer.bool(self) }
}

/// Lists of text stored as rows (the approvers of an application).
extension [String]: BinaryWritable {
    public func write(to writer: inout BinaryWriter) {
        writer.unkeyed(count: count)
        for value in self { writer.string(value) }
    }
}
