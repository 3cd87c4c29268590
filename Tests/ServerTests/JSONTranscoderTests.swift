import Events
import Foundation
import NIOCore
import Testing
import TestSupport

@testable import Server

/// Request bodies read by hand (`JSONTranscoder` and the binary readings) against `JSONDecoder`: plain bodies of
/// every kind, in any key order, spacing and escaping, read to the same values by both; bodies that are not plain
/// are left to `JSONDecoder`, so their answers — values or errors — stay its own.
@Suite struct JSONTranscoderTests {
    /// A JSON value written in one of several equivalent ways.
    enum JSON: Decodable {
        case object([(String, JSON)]), array([JSON]), string(String), number(Int), bool(Bool), null

        init(_ value: some Encodable) throws {
            self = try HallJSON.decoder.decode(JSON.self, from: HallJSON.encoder.encode(value))
        }

        /// `style` picks key order (bit 0: reversed), spacing (bit 1) and escaping (bit 2: every non-ASCII
        /// character and `/` escaped, astral ones as surrogate pairs).
        func text(_ style: Int) -> String {
            let space = style & 2 != 0 ? " \n\t " : ""
            switch self {
            case .object(let fields):
                let ordered = style & 1 != 0 ? fields.reversed() : fields
                let members = ordered.map { "\(space)\(JSON.string($0.0).text(style))\(space):\(space)\($0.1.text(style))" }
                return "{" + members.joined(separator: ",") + space + "}"
            case .array(let values): return "[" + values.map { space + $0.text(style) }.joined(separator: ",") + space + "]"
            case .number(let number): return String(number)
            case .bool(let value): return String(value)
            case .null: return "null"
            case .string(let text):
                var out = "\""
                for scalar in text.unicodeScalars {
                    switch scalar {
                    case "\"": out += "\\\""
                    case "\\": out += "\\\\"
                    case "\n": out += "\\n"
                    case "\t": out += "\\t"
                    case "/" where style & 4 != 0: out += "\\/"
                    case _ where scalar.value > 0x7F && style & 4 != 0:
                        out += String(scalar).utf16.map { "\\u" + String(format: "%04X", $0) }.joined()
                    default: out.unicodeScalars.append(scalar)
                    }
                }
                return out + "\""
            }
        }
    }

    static func submissionBody(_ form: ApplicationForm, attachments: [Events.Attachment]?) throws -> JSON {
        guard case .object(var fields) = try JSON(form) else { throw CancellationError() }
        let kind = fields.first { $0.0 == "kind" }!.1
        fields.removeAll { $0.0 == "kind" }
        var body: [(String, JSON)] = [
            ("kind", kind), ("form", .object(fields)), ("unknown", .object([("ignored", .array([.number(1), .bool(true), .null]))])),
        ]
        if let attachments { body.append(("attachments", try JSON(attachments))) }
        return .object(body)
    }

    static func read<T: Decodable>(_ type: T.Type, _ text: String) -> (plain: T?, decoded: T?) {
        let buffer = ByteBuffer(string: text)
        return (JSONBody.plainBody(type, from: buffer), try? HallJSON.decoder.decode(type, from: Data(text.utf8)))
    }

    static let forms: [ApplicationForm] = [
        Cast.letter(), Cast.letter(important: true, validDays: 30, type: .party),
        Cast.sealUse([.administrative, .contract], amount: 120_000), Cast.sealUse([.party]),
        Cast.certificate([.certificateDuplicate, .legalRepID], original: false),
        Cast.carving(.administrative), Cast.carving(.department, reason: .replace, replaces: "S-OLD"),
    ]

    @Test("plain submissions of every kind read by hand as JSONDecoder reads them, however written")
    func submissions() throws {
        for (index, form) in Self.forms.enumerated() {
            for attachments in [nil, [], [Cast.attachment, Events.Attachment(name: "说明/附件 😀.pdf", size: 0, sha256: "")]] as [[Events.Attachment]?] {
                let json = try Self.submissionBody(form, attachments: attachments)
                for style in 0..<8 {
                    let (plain, decoded) = Self.read(ApplicationBodies.Submission.self, json.text(style))
                    let expected = try #require(decoded, "form \(index) style \(style)")
                    let read = try #require(plain, "form \(index) style \(style) was not read by hand")
                    #expect(read.form == expected.form && read.attachments == expected.attachments, "form \(index) style \(style)")
                }
            }
        }
    }

    @Test("plain decisions read by hand as JSONDecoder reads them")
    func decisions() throws {
        let bodies = [
            #"{"decision":"approve","expectedVersion":1}"#,
            #"{"expectedVersion":9223372036854775807,"comment":null,"decision":"reject"}"#,
            #" { "decision" : "return" , "comment" : "请补充\n材料\u0041\/\ud83d\ude00" , "expectedVersion" : -0 } "#,
            #"{"decision":"approve","comment":"","expectedVersion":-9223372036854775808,"extra":{"a":[[],{}]}}"#,
        ]
        for body in bodies {
            let (plain, decoded) = Self.read(ApplicationBodies.DecisionBody.self, body)
            let expected = try #require(decoded, "\(body)")
            let read = try #require(plain, "\(body) was not read by hand")
            #expect(read.decision == expected.decision && read.comment == expected.comment, "\(body)")
            #expect(read.expectedVersion == expected.expectedVersion, "\(body)")
        }
    }

    @Test("bodies that are not plain JSON are left to JSONDecoder")
    func notPlain() {
        let bodies = [
            #"{"decision":"approve","expectedVersion":1.0}"#,  // a fraction
            #"{"decision":"approve","expectedVersion":1e0}"#,  // an exponent
            #"{"decision":"approve","expectedVersion":01}"#,  // a leading zero
            #"{"decision":"approve","expectedVersion":9223372036854775808}"#,  // past Int64
            #"{"decision":"approve","decision":"reject","expectedVersion":1}"#,  // a duplicate key
            #"{"decision":"approve","comment":"\ud83d","expectedVersion":1}"#,  // a lone surrogate
            #"{"decision":"approve","comment":"\x","expectedVersion":1}"#,  // an unknown escape
            #"{"decision":"approve","expectedVersion":1} x"#,  // trailing text
            #"{"decision":"approve","expectedVersion":1"#,  // cut short
            #"{"decision":"approve","expectedVersion":1,}"#,  // a trailing comma
            #"{"decision":"maybe","expectedVersion":1}"#,  // an unknown value
            #"{"decision":"approve","expectedVersion":"1"}"#,  // a wrong type
            #"{"decision":"approve"}"#,  // a missing field
            #"{"decision":"approve","expectedVersion":1,"comment":7}"#,  // a wrong type in an optional
            #"[{"decision":"approve","expectedVersion":1}]"#,  // not an object
            #"{"kind":"letter","form":{"destination":"x"}}"#,  // a form missing its fields
        ]
        for body in bodies {
            #expect(JSONBody.plainBody(ApplicationBodies.DecisionBody.self, from: ByteBuffer(string: body)) == nil, "\(body)")
            #expect(JSONBody.plainBody(ApplicationBodies.Submission.self, from: ByteBuffer(string: body)) == nil, "\(body)")
        }
        // Invalid UTF-8 in a string, and a date (a string to JSON, not to the binary readings).
        var bytes = ByteBuffer(string: #"{"decision":"approve","comment":""#)
        bytes.writeBytes([0xC3, 0x28] + Array(#"","expectedVersion":1}"#.utf8))
        #expect(JSONBody.plainBody(ApplicationBodies.DecisionBody.self, from: bytes) == nil)
        let abolition = try? Self.submissionBody(Cast.abolition("S1"), attachments: []).text(0)
        #expect(abolition.map { JSONBody.plainBody(ApplicationBodies.Submission.self, from: ByteBuffer(string: $0)) == nil } == true)
    }

    @Test("a body is read by hand exactly when the string check passes it: lengths and control characters alike")
    func stringLimitsAsTheCheck() throws {
        // Pieces of string text, raw and escaped, that count as one or two characters or hold a control character.
        let pieces = [
            "a", "一", "😀", #"\n"#, #"\t"#, #"\""#, #"\/"#, #"\u00e9"#, #"\ud83d\ude00"#, #"\u0085"#, #"\u0007"#,
            "\u{7F}", "\u{85}", "\u{A0}", #"\b"#, #"\f"#,
        ]
        var generator = SplitMix64(seed: 11)
        var read = 0
        for _ in 0..<2_000 {
            let count = Int.random(in: 0...12, using: &generator)
            let text = (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
            for body in [#"{"decision":"approve","expectedVersion":1,"comment":"\#(text)"}"#, #"{"\#(text)":1}"#] {
                let transcoded = Array(body.utf8).withUnsafeBytes { JSONTranscoder.binary($0, maxStringLength: 8) }
                let passes = (try? JSONStringCheck(maxLength: 8).check(Array(body.utf8))) != nil
                #expect((transcoded != nil) == passes, "\(body)")
                if transcoded != nil { read += 1 }
            }
        }
        #expect(read > 400, "the bodies within the limits (about a fifth) are read by hand")
    }
}

extension JSONTranscoderTests.JSON {
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let values = try? container.decode([Self].self) {
            self = .array(values)
        } else {
            let object = try container.decode([String: Self].self)
            self = .object(object.keys.sorted().map { ($0, object[$0]!) })
        }
    }
}
