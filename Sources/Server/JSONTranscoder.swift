import Events

/// Rewrites a JSON request body in seal-hall's binary format (`BinaryFormat.swift`), so that the bodies sent
/// most — submissions and decisions — are read by the hand-written binary readings (`BinaryReadable`) instead of
/// Foundation's `JSONDecoder`, whose generic containers were most of what reading a command cost.
///
/// Only plain JSON is rewritten: objects with distinct keys, arrays, strings of valid UTF-8 (escapes included),
/// integers that fit in 64 bits, booleans and null. Anything else — a fraction or exponent, a duplicate key,
/// a lone surrogate, or JSON that is not well formed — gives nil, and the body goes to `JSONDecoder`, which then
/// gives the value or the precise error. So the two readings can differ only in speed. A string that
/// `JSONStringCheck` would refuse (too long, or holding a control character) gives nil too, counted as it counts,
/// so that a body read here needs no separate check.
struct JSONTranscoder {
    private let bytes: UnsafeRawBufferPointer
    private let maxStringLength: Int
    private var offset = 0

    /// The binary form of `json`, or nil when it is not plain JSON as above or a string value is longer than
    /// `maxStringLength` characters.
    static func binary(_ json: UnsafeRawBufferPointer, maxStringLength: Int) -> [UInt8]? {
        var transcoder = JSONTranscoder(bytes: json, maxStringLength: maxStringLength)
        var writer = BinaryWriter(capacity: json.count)
        guard transcoder.value(into: &writer, depth: 0) else { return nil }
        transcoder.skipWhitespace()
        return transcoder.offset == json.count ? writer.bytes : nil
    }

    private init(bytes: UnsafeRawBufferPointer, maxStringLength: Int) {
        self.bytes = bytes
        self.maxStringLength = maxStringLength
    }

    /// Nesting deeper than this is left to `JSONDecoder` (and its own limit).
    private static let maxDepth = 64

    private mutating func value(into writer: inout BinaryWriter, depth: Int) -> Bool {
        skipWhitespace()
        guard offset < bytes.count, depth < Self.maxDepth else { return false }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return object(into: &writer, depth: depth)
        case UInt8(ascii: "["): return array(into: &writer, depth: depth)
        case UInt8(ascii: "\""):
            guard let string = string(), !string.forbidden, string.length <= maxStringLength else { return false }
            writer.string(string.text)
            return true
        case UInt8(ascii: "t"): return literal("true") { writer.bool(true) }
        case UInt8(ascii: "f"): return literal("false") { writer.bool(false) }
        case UInt8(ascii: "n"): return literal("null") { writer.null() }
        default:
            guard let number = integer() else { return false }
            writer.signed(number)
            return true
        }
    }

    private mutating func object(into writer: inout BinaryWriter, depth: Int) -> Bool {
        offset += 1
        var keys = [String]()
        var fields = BinaryWriter(capacity: 64)
        if consume(UInt8(ascii: "}")) {
            writer.keyed(fields: 0)
            return true
        }
        repeat {
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\""), let string = string(), !string.forbidden,
                !keys.contains(string.text), consume(UInt8(ascii: ":"))
            else { return false }
            let key = string.text
            keys.append(key)
            fields.key(key)
            guard value(into: &fields, depth: depth + 1) else { return false }
        } while consume(UInt8(ascii: ","))
        guard consume(UInt8(ascii: "}")) else { return false }
        writer.keyed(fields: keys.count)
        writer.append(fields)
        return true
    }

    private mutating func array(into writer: inout BinaryWriter, depth: Int) -> Bool {
        offset += 1
        var count = 0
        var elements = BinaryWriter(capacity: 64)
        if !consume(UInt8(ascii: "]")) {
            repeat {
                guard value(into: &elements, depth: depth + 1) else { return false }
                count += 1
            } while consume(UInt8(ascii: ","))
            guard consume(UInt8(ascii: "]")) else { return false }
        }
        writer.unkeyed(count: count)
        writer.append(elements)
        return true
    }

    /// The string starting at the opening quote here, unescaped, with its length and whether it holds a control
    /// character as `JSONStringCheck` counts and finds them; nil for an unknown escape, a lone surrogate, invalid
    /// UTF-8 or a raw C0 control character (which JSON forbids).
    private mutating func string() -> (text: String, length: Int, forbidden: Bool)? {
        offset += 1
        var text = [UInt8]()
        var length = 0
        var forbidden = false
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let string = String(validating: text, as: UTF8.self) else { return nil }
                return (string, length, forbidden)
            case UInt8(ascii: "\\"):
                guard offset < bytes.count else { return nil }
                let escape = bytes[offset]
                offset += 1
                length += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escape)
                case UInt8(ascii: "b"): return nil  // a control character: left to the check, which names it
                case UInt8(ascii: "f"): return nil
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "r"): text.append(0x0D)
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "u"):
                    guard let (scalar, escapes) = unicodeEscape() else { return nil }
                    length += escapes - 1
                    forbidden = forbidden || JSONStringCheck.isForbidden(scalar.value)
                    text.append(contentsOf: String(Character(scalar)).utf8)
                default: return nil
                }
            case 0..<0x20: return nil
            default:
                // DEL, and the C1 controls (U+0080–U+009F: 0xC2 then 0x80–0x9F).
                if byte == 0x7F || byte == 0xC2 && offset < bytes.count && (0x80...0x9F).contains(bytes[offset]) {
                    forbidden = true
                }
                if byte & 0xC0 != 0x80 { length += 1 }
                text.append(byte)
            }
        }
        return nil
    }

    /// The scalar of a `\uXXXX` escape (the `\u` read), joining a surrogate pair, and how many escapes it took;
    /// nil for a lone surrogate.
    private mutating func unicodeEscape() -> (Unicode.Scalar, Int)? {
        guard let unit = hex4() else { return nil }
        switch unit {
        case 0xD800..<0xDC00:
            guard consume(UInt8(ascii: "\\"), skippingWhitespace: false), consume(UInt8(ascii: "u"), skippingWhitespace: false),
                let low = hex4(), (0xDC00..<0xE000).contains(low),
                let scalar = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
            else { return nil }
            return (scalar, 2)
        case 0xDC00..<0xE000: return nil
        default: return Unicode.Scalar(unit).map { ($0, 1) }
        }
    }

    private mutating func hex4() -> UInt32? {
        guard offset + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Character(Unicode.Scalar(bytes[offset])).hexDigitValue else { return nil }
            value = value << 4 | UInt32(digit)
            offset += 1
        }
        return value
    }

    /// `-?(0|[1-9][0-9]*)` within Int64; nil for anything else, a fraction or an exponent included.
    private mutating func integer() -> Int64? {
        let negative = consume(UInt8(ascii: "-"), skippingWhitespace: false)
        let start = offset
        var magnitude: UInt64 = 0
        while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) {
            let (times, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times.addingReportingOverflow(UInt64(bytes[offset] - UInt8(ascii: "0")))
            guard !overflow, !carry else { return nil }
            magnitude = sum
            offset += 1
        }
        let digits = offset - start
        guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") || bytes[offset] | 0x20 == UInt8(ascii: "e") {
            return nil
        }
        if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    private mutating func literal(_ word: StaticString, _ write: () -> Void) -> Bool {
        let count = word.utf8CodeUnitCount
        guard offset + count <= bytes.count else { return false }
        let matches = word.withUTF8Buffer { word in (0..<count).allSatisfy { bytes[offset + $0] == word[$0] } }
        guard matches else { return false }
        offset += count
        write()
        return true
    }

    private mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    /// Moves past `byte` (after any whitespace) when it comes next.
    private mutating func consume(_ byte: UInt8, skippingWhitespace: Bool = true) -> Bool {
        if skippingWhitespace { skipWhitespace() }
        guard offset < bytes.count, bytes[offset] == byte else { return false }
        offset += 1
        return true
    }
}
