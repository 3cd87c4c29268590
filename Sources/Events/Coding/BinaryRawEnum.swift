/// A string-valued enumeration that the binary reading matches by its raw value's bytes where they lie, without
/// making a `String` of them first: a route's steps and roles are read for every submission replayed, and
/// matching each made `String` through `init(rawValue:)` alone was 0.7–0.8 % of a rebuild.
public protocol BinaryRawEnum: RawRepresentable<String>, CaseIterable, Sendable {
    /// The cases by their raw values' bytes; each type makes its own once (`RawValueTable()`).
    static var rawValueTable: RawValueTable<Self> { get }
}

/// The cases of an enumeration by their raw values' UTF-8 bytes.
public struct RawValueTable<Value: RawRepresentable<String> & CaseIterable & Sendable>: Sendable {
    private let rawValues: ByteStrings
    private let values: [Value]

    public init() {
        values = Array(Value.allCases)
        var rawValues = ByteStrings()
        for value in values { rawValues.append(value.rawValue.utf8) }
        self.rawValues = rawValues
    }

    /// The case whose raw value is `raw`, byte for byte; nil when none is.
    func value(matching raw: UnsafeRawBufferPointer) -> Value? {
        rawValues.index(of: raw).map { values[$0] }
    }
}

extension BinaryReader {
    /// A string-valued enumeration, matched in place (`BinaryRawEnum`).
    public mutating func value<T: BinaryRawEnum>(_ type: T.Type = T.self) throws -> T {
        try expect(.string, "string")
        let count = try length()
        let raw = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
        guard let value = T.rawValueTable.value(matching: raw) else {
            throw BinaryDecodingError.unexpectedValue(String(decoding: raw, as: UTF8.self))
        }
        offset += count
        return value
    }
}

/// Whether `bytes` equal the same count of bytes at `other`, compared eight at a time: the names and raw values
/// matched are a few words long, and most differ in the first word, where a call to `memcmp` cost more than the
/// comparison.
@inline(__always)
func bytesEqual(_ bytes: UnsafeRawBufferPointer, _ other: UnsafeRawPointer) -> Bool {
    let count = bytes.count
    guard count > 0, let start = bytes.baseAddress else { return true }
    var offset = 0
    while offset + 8 <= count {
        guard start.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            == other.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        else { return false }
        offset += 8
    }
    while offset < count {
        guard start.load(fromByteOffset: offset, as: UInt8.self) == other.load(fromByteOffset: offset, as: UInt8.self)
        else { return false }
        offset += 1
    }
    return true
}
