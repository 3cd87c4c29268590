import Foundation

/// Encodes `Encodable` values in seal-hall's binary format (`BinaryFormat.swift`).
public struct BinaryEncoder {
    @inlinable public init() {}

    // Inlinable, so that a caller in another module that knows the value's type checks for `BinaryWritable` at
    // compile time instead of casting at run time for every row it writes.
    @inlinable
    public func encode(_ value: some Encodable) throws -> [UInt8] {
        try written(value).bytes
    }

    /// The writer that holds `value` encoded: its bytes, and whether a time in it was rounded to microseconds.
    @inlinable
    public func written(_ value: some Encodable) throws -> BinaryWriter {
        var writer = BinaryWriter()
        try write(value, to: &writer)
        return writer
    }

    /// Writes `value` encoded after what `writer` holds (a rebuild's rows, into one buffer).
    ///
    /// Whether the value writes itself is asked of its type, not of the value: casting a value to
    /// `any BinaryWritable` boxed every row wider than three words, where the type was not known when compiled.
    @inlinable
    public func write<Value: Encodable>(_ value: Value, to writer: inout BinaryWriter) throws {
        if let writable = Value.self as? any BinaryWritable.Type {
            writable.write(value, to: &writer)
        } else {
            writer.append(try writtenThroughCodable(value))
        }
    }

    /// The `Encodable` form, even of a `BinaryWritable` value: what its hand-written form must equal.
    func encodeThroughCodable(_ value: some Encodable) throws -> [UInt8] {
        try writtenThroughCodable(value).bytes
    }

    @usableFromInline
    func writtenThroughCodable(_ value: some Encodable) throws -> BinaryWriter {
        var writer = BinaryWriter()
        try BinaryEncodingNode.encode(value).write(to: &writer)
        return writer
    }
}

/// The tree an encoding builds before it is written out; containers are classes so nested encoders can fill
/// them after they were handed out, as `Encoder` requires. Scalars are held as values, not as bytes, so that
/// building the tree allocates only for containers.
enum BinaryEncodingNode {
    case null
    case string(String)
    case signed(Int64)
    case unsigned(UInt64)
    case bool(Bool)
    case double(Double)
    /// A time, written as microseconds since 1970 (UTC).
    case date(Date)
    case keyed(KeyedBox)
    case unkeyed(UnkeyedBox)

    final class KeyedBox {
        var fields: [(key: String, node: BinaryEncodingNode)] = []
    }

    final class UnkeyedBox {
        var elements: [BinaryEncodingNode] = []
    }

    static func encode<T: Encodable>(_ value: T) throws -> BinaryEncodingNode {
        if T.self == Date.self {
            return .date(value as! Date)
        }
        let encoder = NodeEncoder()
        try value.encode(to: encoder)
        return encoder.node ?? .null
    }

    func write(to writer: inout BinaryWriter) {
        switch self {
        case .null: writer.null()
        case .string(let value): writer.string(value)
        case .signed(let value): writer.signed(value)
        case .unsigned(let value): writer.unsigned(value)
        case .bool(let value): writer.bool(value)
        case .double(let value): writer.double(value)
        case .date(let date): writer.date(date)
        case .keyed(let box):
            writer.keyed(fields: box.fields.count)
            for (key, node) in box.fields {
                writer.key(key)
                node.write(to: &writer)
            }
        case .unkeyed(let box):
            writer.unkeyed(count: box.elements.count)
            for element in box.elements {
                element.write(to: &writer)
            }
        }
    }
}

/// The `Encoder` that builds one node.
private final class NodeEncoder: Encoder {
    var node: BinaryEncodingNode?
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: BinaryEncodingNode.KeyedBox
        if case .keyed(let existing) = node {
            box = existing
        } else {
            box = BinaryEncodingNode.KeyedBox()
            node = .keyed(box)
        }
        return KeyedEncodingContainer(KeyedContainer(box: box))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box = BinaryEncodingNode.UnkeyedBox()
        node = .unkeyed(box)
        return UnkeyedContainer(box: box)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(encoder: self)
    }

    private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: BinaryEncodingNode.KeyedBox
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil(forKey key: Key) throws {}

        mutating func encode(_ value: String, forKey key: Key) throws {
            box.fields.append((key.stringValue, .string(value)))
        }

        mutating func encode(_ value: Bool, forKey key: Key) throws {
            box.fields.append((key.stringValue, .bool(value)))
        }

        mutating func encode(_ value: Int, forKey key: Key) throws {
            box.fields.append((key.stringValue, .signed(Int64(value))))
        }

        mutating func encode(_ value: Int64, forKey key: Key) throws {
            box.fields.append((key.stringValue, .signed(value)))
        }

        mutating func encode(_ value: UInt64, forKey key: Key) throws {
            box.fields.append((key.stringValue, .unsigned(value)))
        }

        mutating func encode(_ value: Double, forKey key: Key) throws {
            box.fields.append((key.stringValue, .double(value)))
        }

        mutating func encode(_ value: some Encodable, forKey key: Key) throws {
            box.fields.append((key.stringValue, try BinaryEncodingNode.encode(value)))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            let nested = BinaryEncodingNode.KeyedBox()
            box.fields.append((key.stringValue, .keyed(nested)))
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let nested = BinaryEncodingNode.UnkeyedBox()
            box.fields.append((key.stringValue, .unkeyed(nested)))
            return UnkeyedContainer(box: nested)
        }

        mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            let encoder = NodeEncoder()
            let nested = BinaryEncodingNode.KeyedBox()
            encoder.node = .keyed(nested)
            box.fields.append((key.stringValue, .keyed(nested)))
            return encoder
        }
    }

    private struct UnkeyedContainer: UnkeyedEncodingContainer {
        let box: BinaryEncodingNode.UnkeyedBox
        var codingPath: [any CodingKey] { [] }
        var count: Int { box.elements.count }

        mutating func encodeNil() throws {
            box.elements.append(.null)
        }

        mutating func encode(_ value: String) throws {
            box.elements.append(.string(value))
        }

        mutating func encode(_ value: some Encodable) throws {
            box.elements.append(try BinaryEncodingNode.encode(value))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
            -> KeyedEncodingContainer<NestedKey>
        {
            let nested = BinaryEncodingNode.KeyedBox()
            box.elements.append(.keyed(nested))
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let nested = BinaryEncodingNode.UnkeyedBox()
            box.elements.append(.unkeyed(nested))
            return UnkeyedContainer(box: nested)
        }

        mutating func superEncoder() -> any Encoder {
            let encoder = NodeEncoder()
            let nested = BinaryEncodingNode.KeyedBox()
            encoder.node = .keyed(nested)
            box.elements.append(.keyed(nested))
            return encoder
        }
    }

    private struct SingleValueContainer: SingleValueEncodingContainer {
        let encoder: NodeEncoder
        var codingPath: [any CodingKey] { [] }

        func encodeNil() throws { encoder.node = .null }
        func encode(_ value: Bool) throws { encoder.node = .bool(value) }
        func encode(_ value: String) throws { encoder.node = .string(value) }
        func encode(_ value: Double) throws { encoder.node = .double(value) }
        func encode(_ value: Float) throws { encoder.node = .double(Double(value)) }
        func encode(_ value: Int) throws { encoder.node = .signed(Int64(value)) }
        func encode(_ value: Int8) throws { encoder.node = .signed(Int64(value)) }
        func encode(_ value: Int16) throws { encoder.node = .signed(Int64(value)) }
        func encode(_ value: Int32) throws { encoder.node = .signed(Int64(value)) }
        func encode(_ value: Int64) throws { encoder.node = .signed(value) }
        func encode(_ value: UInt) throws { encoder.node = .unsigned(UInt64(value)) }
        func encode(_ value: UInt8) throws { encoder.node = .unsigned(UInt64(value)) }
        func encode(_ value: UInt16) throws { encoder.node = .unsigned(UInt64(value)) }
        func encode(_ value: UInt32) throws { encoder.node = .unsigned(UInt64(value)) }
        func encode(_ value: UInt64) throws { encoder.node = .unsigned(value) }
        func encode(_ value: some Encodable) throws { encoder.node = try BinaryEncodingNode.encode(value) }
    }
}
