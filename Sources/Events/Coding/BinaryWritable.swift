import Foundation

/// A value that writes its binary form (`BinaryFormat.swift`) by hand: the same bytes its `Encodable`
/// conformance gives through `BinaryEncoder`, without building a tree of boxed values first. For the rows the
/// writer stores on every command; `BinaryEncoder` takes this path whenever a value offers it, and each such
/// type is tested against its `Encodable` form.
public protocol BinaryWritable {
    func write(to writer: inout BinaryWriter)
}

extension BinaryWritable {
    /// Writes `value`, a value of this type known only as a `Value`.
    @inlinable
    static func write<Value>(_ value: Value, to writer: inout BinaryWriter) {
        withUnsafePointer(to: value) { $0.withMemoryRebound(to: Self.self, capacity: 1) { $0.pointee.write(to: &writer) } }
    }
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
        header(nil, .keyed, UInt64(fields))
    }

    public mutating func key(_ key: StaticString) {
        header(key, nil, nil)
    }

    public mutating func key(_ key: String) {
        bytes.appendVarint(UInt64(key.utf8.count))
        bytes.append(contentsOf: key.utf8)
    }

    /// An unkeyed container of `count` values, which follow.
    public mutating func unkeyed(count: Int) {
        header(nil, .unkeyed, UInt64(count))
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
        string(value, key: nil)
    }

    public mutating func signed(_ value: Int) {
        signed(Int64(value))
    }

    public mutating func signed(_ value: Int64) {
        header(nil, .signed, zigZag(value))
    }

    public mutating func unsigned(_ value: UInt64) {
        header(nil, .unsigned, value)
    }

    public mutating func double(_ value: Double) {
        bytes.append(BinaryTag.double.rawValue)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func bool(_ value: Bool) {
        bytes.append(value ? BinaryTag.true.rawValue : BinaryTag.false.rawValue)
    }

    public mutating func date(_ value: Date) {
        date(value, key: nil)
    }

    /// A time as microseconds since 1970 (UTC).
    public mutating func date(micros: Int64) {
        header(nil, .date, zigZag(micros))
    }

    public mutating func field(_ key: StaticString, _ value: String) {
        string(value, key: key)
    }

    public mutating func field(_ key: StaticString, _ value: Int) {
        header(key, .signed, zigZag(Int64(value)))
    }

    public mutating func field(_ key: StaticString, _ value: UInt64) {
        header(key, .unsigned, value)
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
        date(value, key: key)
    }

    public mutating func field<Value: RawRepresentable>(_ key: StaticString, _ value: Value) where Value.RawValue == String {
        field(key, value.rawValue)
    }

    public mutating func field(_ key: StaticString, _ values: [String]) {
        header(key, .unkeyed, UInt64(values.count))
        for value in values { string(value) }
    }

    public mutating func field<Value: RawRepresentable>(_ key: StaticString, _ values: [Value]) where Value.RawValue == String {
        header(key, .unkeyed, UInt64(values.count))
        for value in values { string(value.rawValue) }
    }

    public mutating func field(_ key: StaticString, _ values: [some BinaryWritable]) {
        header(key, .unkeyed, UInt64(values.count))
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

    private mutating func string(_ value: String, key: StaticString?) {
        var value = value
        // Through the string's contiguous UTF-8: appending `value.utf8` went through a copy range by range.
        value.withUTF8 { utf8 in
            header(key, .string, UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    private mutating func date(_ value: Date, key: StaticString?) {
        let micros = Microseconds.from(value)
        if !roundedTimes && Microseconds.date(micros) != value { roundedTimes = true }
        header(key, .date, zigZag(micros))
    }

    /// Appends a field's key (when there is one), then a tag (when there is one) and the varint `number` that
    /// follows it, in one append of a header built on the stack: appended byte by byte and part by part, a row's
    /// fields cost a dozen appends each checking uniqueness and capacity, much of the time a rebuild spent
    /// encoding rows.
    private mutating func header(_ key: StaticString?, _ tag: BinaryTag?, _ number: UInt64?) {
        let keyCount = key?.utf8CodeUnitCount ?? 0
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: keyCount + 2 * Self.maxVarintBytes + 1) { header in
            var end = 0
            func varint(_ value: UInt64) {
                var value = value
                while value >= 0x80 {
                    header[end] = UInt8(truncatingIfNeeded: value) | 0x80
                    end += 1
                    value >>= 7
                }
                header[end] = UInt8(value)
                end += 1
            }
            if let key {
                varint(UInt64(keyCount))
                (header.baseAddress! + end).initialize(from: key.utf8Start, count: keyCount)
                end += keyCount
            }
            if let tag {
                header[end] = tag.rawValue
                end += 1
            }
            if let number { varint(number) }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: header[..<end]))
        }
    }

    /// The most bytes a varint of a `UInt64` takes.
    private static let maxVarintBytes = 10

    private func zigZag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
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
