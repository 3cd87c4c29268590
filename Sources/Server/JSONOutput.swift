import Foundation

/// JSON text written value by value, for the answers served most: an application answers every command, and
/// Foundation's `JSONEncoder` (a tree of boxed values, keys sorted per object) cost more CPU than deciding and
/// committing the command. The text is the encoder's exactly — `HallJSON`'s settings, keys in byte order, the
/// same escapes — which `JSONOutputTests` checks against it; a type written here keeps its `Encodable`
/// conformance for that check.
struct JSONOutput {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    /// Writes `value` as JSON text.
    static func bytes(of value: some JSONValue) -> [UInt8] {
        var output = JSONOutput()
        value.write(to: &output)
        return output.bytes
    }

    /// An object whose fields `body` writes, in byte order of their keys (as `.sortedKeys` orders them).
    mutating func object(_ body: (inout JSONOutput) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        body(&self)
        bytes.append(UInt8(ascii: "}"))
    }

    /// The field `key` with `value`.
    mutating func field(_ key: StaticString, _ value: some JSONValue) {
        separate(after: UInt8(ascii: "{"))
        key.withUTF8Buffer { key in
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: key)
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: ":"))
        value.write(to: &self)
    }

    /// The field `key` with `value`, or no field when it is nil, as synthesized `Encodable` leaves nil out.
    mutating func field(_ key: StaticString, _ value: (some JSONValue)?) {
        if let value { field(key, value) }
    }

    mutating func array<Element: JSONValue>(_ elements: [Element]) {
        bytes.append(UInt8(ascii: "["))
        for element in elements {
            separate(after: UInt8(ascii: "["))
            element.write(to: &self)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// `value` quoted, escaped as `JSONEncoder` escapes it; the runs between escapes are copied whole.
    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var run = 0
            for index in utf8.indices where Self.isEscaped(utf8[index]) {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<index]))
                escape(utf8[index])
                run = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func isEscaped(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): append("\\\"")
        case UInt8(ascii: "\\"): append("\\\\")
        case 0x0A: append("\\n")
        case 0x0D: append("\\r")
        case 0x09: append("\\t")
        case 0x08: append("\\b")
        case 0x0C: append("\\f")
        default:
            append("\\u00")
            bytes.append(Self.hexDigits[Int(byte >> 4)])
            bytes.append(Self.hexDigits[Int(byte & 0x0F)])
        }
    }

    /// Digits of an integer, or `true`, `false`, `null`: text that needs no escaping.
    mutating func literal(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A comma before every value of an object or array but its first.
    private mutating func separate(after opening: UInt8) {
        if bytes.last != opening { bytes.append(UInt8(ascii: ",")) }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}

/// A value `JSONOutput` can write.
protocol JSONValue {
    func write(to output: inout JSONOutput)
}

extension String: JSONValue {
    func write(to output: inout JSONOutput) { output.string(self) }
}

extension Int: JSONValue {
    func write(to output: inout JSONOutput) { output.literal(String(self)) }
}

extension UInt64: JSONValue {
    func write(to output: inout JSONOutput) { output.literal(String(self)) }
}

extension Bool: JSONValue {
    func write(to output: inout JSONOutput) { output.literal(self ? "true" : "false") }
}

extension Date: JSONValue {
    func write(to output: inout JSONOutput) { output.string(HallJSON.format(self)) }
}

extension Array: JSONValue where Element: JSONValue {
    func write(to output: inout JSONOutput) { output.array(self) }
}

extension JSONValue where Self: RawRepresentable, RawValue == String {
    func write(to output: inout JSONOutput) { output.string(rawValue) }
}
