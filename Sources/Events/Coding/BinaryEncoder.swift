import Foundation

/// Encodes `Encodable` values in seal-hall's binary format (`BinaryFormat.swift`).
public struct BinaryEncoder {
    public init() {}

    public func encode(_ value: some Encodable) throws -> [UInt8] {
        let node = try BinaryEncodingNode.encode(value)
        var bytes = [UInt8]()
        bytes.reserveCapacity(256)
        node.write(to: &bytes)
        return bytes
    }
}

/// The tree an encoding builds before it is written out; containers are classes so nested encoders can fill
/// them after they were handed out, as `Encoder` requires.
indirect enum BinaryEncodingNode {
    case scalar([UInt8])
    case keyed(KeyedBox)
    case unkeyed(UnkeyedBox)

    final class KeyedBox {
        var fields: [(key: String, node: BinaryEncodingNode)] = []
    }

    final class UnkeyedBox {
        var elements: [BinaryEncodingNode] = []
    }

    static func encode(_ value: some Encodable) throws -> BinaryEncodingNode {
        if let date = value as? Date {
            var bytes: [UInt8] = [BinaryTag.date.rawValue]
            bytes.appendZigZag(Microseconds.from(date))
            return .scalar(bytes)
        }
        let encoder = NodeEncoder()
        try value.encode(to: encoder)
        return encoder.node ?? .scalar([BinaryTag.null.rawValue])
    }

    func write(to bytes: inout [UInt8]) {
        switch self {
        case .scalar(let scalar):
            bytes.append(contentsOf: scalar)
        case .keyed(let box):
            bytes.append(BinaryTag.keyed.rawValue)
            bytes.appendVarint(UInt64(box.fields.count))
            for (key, node) in box.fields {
                bytes.appendVarint(UInt64(key.utf8.count))
                bytes.append(contentsOf: key.utf8)
                node.write(to: &bytes)
            }
        case .unkeyed(let box):
            bytes.append(BinaryTag.unkeyed.rawValue)
            bytes.appendVarint(UInt64(box.elements.count))
            for element in box.elements {
                element.write(to: &bytes)
            }
        }
    }

    static func scalar(_ value: String) -> BinaryEncodingNode {
        var bytes: [UInt8] = [BinaryTag.string.rawValue]
        bytes.appendVarint(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
        return .scalar(bytes)
    }

    static func scalar(_ value: Bool) -> BinaryEncodingNode {
        .scalar([value ? BinaryTag.true.rawValue : BinaryTag.false.rawValue])
    }

    static func scalar(_ value: Double) -> BinaryEncodingNode {
        var bytes: [UInt8] = [BinaryTag.double.rawValue]
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        return .scalar(bytes)
    }

    static func scalar(signed value: Int64) -> BinaryEncodingNode {
        var bytes: [UInt8] = [BinaryTag.signed.rawValue]
        bytes.appendZigZag(value)
        return .scalar(bytes)
    }

    static func scalar(unsigned value: UInt64) -> BinaryEncodingNode {
        var bytes: [UInt8] = [BinaryTag.unsigned.rawValue]
        bytes.appendVarint(value)
        return .scalar(bytes)
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
            box.fields.append((key.stringValue, .scalar(value)))
        }

        mutating func encode(_ value: Bool, forKey key: Key) throws {
            box.fields.append((key.stringValue, .scalar(value)))
        }

        mutating func encode(_ value: Int, forKey key: Key) throws {
            box.fields.append((key.stringValue, .scalar(signed: Int64(value))))
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
            box.elements.append(.scalar([BinaryTag.null.rawValue]))
        }

        mutating func encode(_ value: String) throws {
            box.elements.append(.scalar(value))
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

        func encodeNil() throws { encoder.node = .scalar([BinaryTag.null.rawValue]) }
        func encode(_ value: Bool) throws { encoder.node = .scalar(value) }
        func encode(_ value: String) throws { encoder.node = .scalar(value) }
        func encode(_ value: Double) throws { encoder.node = .scalar(value) }
        func encode(_ value: Float) throws { encoder.node = .scalar(Double(value)) }
        func encode(_ value: Int) throws { encoder.node = .scalar(signed: Int64(value)) }
        func encode(_ value: Int8) throws { encoder.node = .scalar(signed: Int64(value)) }
        func encode(_ value: Int16) throws { encoder.node = .scalar(signed: Int64(value)) }
        func encode(_ value: Int32) throws { encoder.node = .scalar(signed: Int64(value)) }
        func encode(_ value: Int64) throws { encoder.node = .scalar(signed: value) }
        func encode(_ value: UInt) throws { encoder.node = .scalar(unsigned: UInt64(value)) }
        func encode(_ value: UInt8) throws { encoder.node = .scalar(unsigned: UInt64(value)) }
        func encode(_ value: UInt16) throws { encoder.node = .scalar(unsigned: UInt64(value)) }
        func encode(_ value: UInt32) throws { encoder.node = .scalar(unsigned: UInt64(value)) }
        func encode(_ value: UInt64) throws { encoder.node = .scalar(unsigned: value) }
        func encode(_ value: some Encodable) throws { encoder.node = try BinaryEncodingNode.encode(value) }
    }
}
