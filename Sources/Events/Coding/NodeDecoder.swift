import Foundation

/// The `Decoder` for the value that starts at `offset`. A struct of three words, so that handing it to
/// `init(from:)` as `any Decoder` allocates nothing. Like its containers, valid only during the decoding.
struct NodeDecoder: Decoder {
    let bytes: UnsafeRawBufferPointer
    let offset: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(bytes: UnsafeRawBufferPointer, offset: Int) {
        self.bytes = bytes
        self.offset = offset
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(try KeyedContainer<Key>(bytes: bytes, offset: offset))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try UnkeyedContainer(bytes: bytes, offset: offset)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(reader: BinaryReader(bytes: bytes, offset: offset))
    }

    /// A keyed container: its fields' keys and where their values start, read once.
    private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let bytes: UnsafeRawBufferPointer
        /// Key bytes range and value offset of every field.
        let fields: [(key: Range<Int>, value: Int)]
        var codingPath: [any CodingKey] { [] }

        init(bytes: UnsafeRawBufferPointer, offset: Int) throws {
            self.bytes = bytes
            var reader = BinaryReader(bytes: bytes, offset: offset)
            try reader.expect(.keyed, "keyed container")
            var fields = [(key: Range<Int>, value: Int)]()
            let count = try reader.varint()
            fields.reserveCapacity(Int(min(count, 64)))
            for _ in 0..<count {
                let length = try reader.length()
                let key = reader.offset..<reader.offset + length
                reader.offset += length
                fields.append((key, reader.offset))
                try reader.skipValue()
            }
            self.fields = fields
        }

        var allKeys: [Key] {
            fields.compactMap { Key(stringValue: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[$0.key]), as: UTF8.self)) }
        }

        private func offset(of key: Key) -> Int? {
            var name = key.stringValue
            return name.withUTF8 { name in
                fields.first { field in
                    field.key.count == name.count
                        && memcmp(bytes.baseAddress! + field.key.lowerBound, name.baseAddress!, name.count) == 0
                }?.value
            }
        }

        private func reader(for key: Key) throws -> BinaryReader {
            guard let offset = offset(of: key) else { throw BinaryDecodingError.missingKey(key.stringValue) }
            return BinaryReader(bytes: bytes, offset: offset)
        }

        func contains(_ key: Key) -> Bool { offset(of: key) != nil }

        func decodeNil(forKey key: Key) throws -> Bool { try reader(for: key).isNil }

        func decode(_ type: String.Type, forKey key: Key) throws -> String { try value(key) { try $0.string() } }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try value(key) { try $0.bool() } }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try value(key) { try $0.int() } }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try value(key) { try $0.signed() } }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try value(key) { try $0.unsigned() } }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try value(key) { try $0.double() } }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try reader(for: key).decode(type)
        }

        // An absent optional costs one look-up rather than the default's three (contains, decodeNil, decode).

        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
            try presentValue(key) { try $0.string() }
        }

        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try presentValue(key) { try $0.bool() } }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try presentValue(key) { try $0.int() } }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            try presentReader(for: key)?.decode(type)
        }

        /// The value of `key`, read with `read`.
        private func value<T>(_ key: Key, _ read: (inout BinaryReader) throws -> T) throws -> T {
            var reader = try reader(for: key)
            return try read(&reader)
        }

        /// The value of `key`, read with `read`; nil when the key is absent or its value is nil.
        private func presentValue<T>(_ key: Key, _ read: (inout BinaryReader) throws -> T) throws -> T? {
            guard var reader = presentReader(for: key) else { return nil }
            return try read(&reader)
        }

        /// A reader at the value of `key`, nil when the key is absent or its value is nil.
        private func presentReader(for key: Key) -> BinaryReader? {
            guard let offset = offset(of: key), bytes[offset] != BinaryTag.null.rawValue else { return nil }
            return BinaryReader(bytes: bytes, offset: offset)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            KeyedDecodingContainer(try KeyedContainer<NestedKey>(bytes: bytes, offset: try reader(for: key).offset))
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try UnkeyedContainer(bytes: bytes, offset: try reader(for: key).offset)
        }

        func superDecoder() throws -> any Decoder { try superDecoder(forKey: Key(stringValue: "super")!) }

        func superDecoder(forKey key: Key) throws -> any Decoder {
            NodeDecoder(bytes: bytes, offset: try reader(for: key).offset)
        }
    }

    private struct UnkeyedContainer: UnkeyedDecodingContainer {
        var reader: BinaryReader
        let count: Int?
        var currentIndex = 0
        var codingPath: [any CodingKey] { [] }
        var isAtEnd: Bool { currentIndex >= (count ?? 0) }

        init(bytes: UnsafeRawBufferPointer, offset: Int) throws {
            reader = BinaryReader(bytes: bytes, offset: offset)
            try reader.expect(.unkeyed, "unkeyed container")
            count = Int(try reader.varint())
        }

        private mutating func next<T>(_ read: (inout BinaryReader) throws -> T) throws -> T {
            guard !isAtEnd else { throw BinaryDecodingError.truncated }
            let value = try read(&reader)
            currentIndex += 1
            return value
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, reader.isNil else { return false }
            reader.offset += 1
            currentIndex += 1
            return true
        }

        mutating func decode(_ type: String.Type) throws -> String { try next { try $0.string() } }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try next { reader in
                let value = try reader.decode(type)
                try reader.skipValue()
                return value
            }
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            try next { reader in
                let container = try KeyedContainer<NestedKey>(bytes: reader.bytes, offset: reader.offset)
                try reader.skipValue()
                return KeyedDecodingContainer(container)
            }
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            try next { reader in
                let container = try UnkeyedContainer(bytes: reader.bytes, offset: reader.offset)
                try reader.skipValue()
                return container
            }
        }

        mutating func superDecoder() throws -> any Decoder {
            try next { reader in
                let decoder = NodeDecoder(bytes: reader.bytes, offset: reader.offset)
                try reader.skipValue()
                return decoder
            }
        }
    }

    private struct SingleValueContainer: SingleValueDecodingContainer {
        var reader: BinaryReader
        var codingPath: [any CodingKey] { [] }

        func decodeNil() -> Bool { reader.isNil }
        func decode(_ type: Bool.Type) throws -> Bool { var reader = reader; return try reader.bool() }
        func decode(_ type: String.Type) throws -> String { var reader = reader; return try reader.string() }
        func decode(_ type: Double.Type) throws -> Double { var reader = reader; return try reader.double() }
        func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
        func decode(_ type: Int.Type) throws -> Int { try integer() }
        func decode(_ type: Int8.Type) throws -> Int8 { try integer() }
        func decode(_ type: Int16.Type) throws -> Int16 { try integer() }
        func decode(_ type: Int32.Type) throws -> Int32 { try integer() }
        func decode(_ type: Int64.Type) throws -> Int64 { try integer() }
        func decode(_ type: UInt.Type) throws -> UInt { try natural() }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try natural() }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try natural() }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try natural() }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try natural() }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try reader.decode(type)
        }

        private func integer<T: FixedWidthInteger & SignedInteger>() throws -> T {
            var reader = reader
            guard let value = T(exactly: try reader.signed()) else { throw BinaryDecodingError.outOfRange }
            return value
        }

        private func natural<T: FixedWidthInteger & UnsignedInteger>() throws -> T {
            var reader = reader
            guard let value = T(exactly: try reader.unsigned()) else { throw BinaryDecodingError.outOfRange }
            return value
        }
    }
}
