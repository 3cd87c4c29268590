/// Checks every string in a JSON body in one pass over its bytes, before it is decoded: none longer than
/// `maxLength` characters, none holding a control character (C0 other than tab and line breaks, DEL, C1),
/// whether raw or escaped. A violation names the field by its path (`form.persons[0].name`). Whether the body is
/// well-formed JSON at all is left to the decoder.
struct JSONStringCheck {
    let maxLength: Int

    /// Where a violation was found, and what it is.
    struct Violation: Error {
        var path: String
        var tooLong: Bool
    }

    private enum Level {
        case object(key: String?)
        case array(index: Int)
    }

    func check(_ bytes: some Collection<UInt8>) throws(Violation) {
        let bytes = Array(bytes)
        var levels = [Level]()
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "{"): levels.append(.object(key: nil))
            case UInt8(ascii: "["): levels.append(.array(index: 0))
            case UInt8(ascii: "}"), UInt8(ascii: "]"): if !levels.isEmpty { levels.removeLast() }
            case UInt8(ascii: ","):
                switch levels.last {
                case .array(let position): levels[levels.count - 1] = .array(index: position + 1)
                case .object: levels[levels.count - 1] = .object(key: nil)
                case nil: break
                }
            case UInt8(ascii: "\""):
                let (text, end, length, forbidden) = string(bytes, from: index + 1)
                index = end
                if case .object(nil) = levels.last {
                    // A key: it names the value that follows.
                    if forbidden { throw Violation(path: Self.path(levels), tooLong: false) }
                    levels[levels.count - 1] = .object(key: text)
                } else if forbidden || length > maxLength {
                    throw Violation(path: Self.path(levels), tooLong: !forbidden)
                }
            default: break
            }
            index += 1
        }
    }

    /// The string that starts at `start` (just after its quote): its text, the index of its closing quote, its
    /// length in characters, and whether it holds a forbidden control character.
    private func string(_ bytes: [UInt8], from start: Int) -> (String, Int, Int, Bool) {
        var index = start
        var length = 0
        var forbidden = false
        var text = [UInt8]()
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                if bytes[index + 1] == UInt8(ascii: "u"), index + 5 < bytes.count,
                    let value = UInt32(String(decoding: bytes[index + 2...index + 5], as: UTF8.self), radix: 16)
                {
                    forbidden = forbidden || Self.isForbidden(value)
                    index += 6
                } else {
                    // `\b` and `\f` are control characters too; `\t`, `\n` and `\r` are allowed.
                    forbidden = forbidden || bytes[index + 1] == UInt8(ascii: "b") || bytes[index + 1] == UInt8(ascii: "f")
                    text.append(bytes[index + 1])
                    index += 2
                }
                length += 1
                continue
            }
            if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) { forbidden = true }
            if byte == 0x7F { forbidden = true }
            if byte & 0xC0 != 0x80 { length += 1 }
            text.append(byte)
            index += 1
        }
        return (String(decoding: text, as: UTF8.self), index, length, forbidden)
    }

    /// Whether the character `value` is a control character a text may not hold.
    static func isForbidden(_ value: UInt32) -> Bool {
        switch value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F...0x9F: true
        default: false
        }
    }

    private static func path(_ levels: [Level]) -> String {
        var path = ""
        for level in levels {
            switch level {
            case .object(let key?): path += path.isEmpty ? key : ".\(key)"
            case .array(let index): path += "[\(index)]"
            case .object(nil): break
            }
        }
        return path.isEmpty ? "body" : path
    }
}
