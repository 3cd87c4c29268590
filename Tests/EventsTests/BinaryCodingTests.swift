import Foundation
import Testing
import TestSupport

@testable import Events

@Suite("Binary payload format")
struct BinaryCodingTests {
    struct Inner: Codable, Equatable {
        var name: String
        var tags: [String]
    }

    struct Sample: Codable, Equatable {
        var text: String
        var empty: String
        var integer: Int
        var negative: Int64
        var extremes: [Int64]
        var unsigned: UInt64
        var flag: Bool
        var ratio: Double
        var time: Date
        var optionalPresent: String?
        var optionalAbsent: Int?
        var inner: Inner
        var list: [Inner]
        var emptyList: [Int]
        var map: [String: Int]
        var nested: [[Int]]
        var enumeration: SealCategory
    }

    static let sample = Sample(
        text: "印章管理 ✓ \u{1F600}", empty: "", integer: 42, negative: -7, extremes: [.min, .max, 0, -1],
        unsigned: .max, flag: true, ratio: -0.125, time: Microseconds.date(1_772_409_600_123_456),
        optionalPresent: "有", optionalAbsent: nil, inner: Inner(name: "甲", tags: ["a", "b"]),
        list: [Inner(name: "x", tags: []), Inner(name: "y", tags: ["z"])], emptyList: [], map: ["one": 1, "two": 2],
        nested: [[1, 2], [], [3]], enumeration: .legalRep)

    @Test("every kind of value comes back as it went in, times to the microsecond")
    func roundTrip() throws {
        let bytes = try BinaryEncoder().encode(Self.sample)
        #expect(try BinaryDecoder().decode(Sample.self, from: bytes) == Self.sample)
        #expect(bytes.first == 0x10)
    }

    @Test("every truncation and any stray byte is an error, never a crash")
    func malformed() throws {
        let bytes = try BinaryEncoder().encode(Self.sample)
        for length in 0..<bytes.count {
            #expect(throws: (any Error).self) { try BinaryDecoder().decode(Sample.self, from: Array(bytes.prefix(length))) }
        }
        #expect(throws: BinaryDecodingError.outOfRange) { try BinaryDecoder().decode(Sample.self, from: bytes + [0x00]) }
        var generator = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            var mutated = bytes
            mutated[Int.random(in: 0..<mutated.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            _ = try? BinaryDecoder().decode(Sample.self, from: mutated)
        }
    }

    @Test("a reader ignores fields it does not know, and reads absent optionals as nil")
    func evolution() throws {
        struct Older: Codable, Equatable {
            var name: String
            var added: String?
        }
        struct Newer: Codable {
            var name: String
            var extra: [Int]
        }
        let newer = try BinaryEncoder().encode(Newer(name: "甲", extra: [1, 2, 3]))
        #expect(try BinaryDecoder().decode(Older.self, from: newer) == Older(name: "甲", added: nil))
        #expect(throws: BinaryDecodingError.missingKey("extra")) {
            try BinaryDecoder().decode(Newer.self, from: try BinaryEncoder().encode(Older(name: "乙")))
        }
        #expect(throws: BinaryDecodingError.unexpectedTag(0x01, expected: "integer")) {
            try BinaryDecoder().decode(Int.self, from: try BinaryEncoder().encode("不是数字"))
        }
    }

    @Test("a field name matches a known name only when it is as long and every byte agrees, across word bounds")
    func fieldNames() {
        let known: [StaticString] = ["", "a", "seven77", "eight888", "nine99999", "sixteen_sixteen_", "seventeen_seventn"]
        for name in known {
            let utf8 = Array(UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            func matches(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { FieldName(bytes: $0) == name } }
            #expect(matches(utf8), "\(name)")
            for place in utf8.indices {
                var changed = utf8
                changed[place] ^= 0x01
                #expect(!matches(changed), "\(name) changed at \(place)")
            }
            #expect(!matches(utf8 + [0x61]), "\(name) and one byte more")
            #expect(utf8.isEmpty || !matches(Array(utf8.dropLast())), "\(name) but its last byte")
        }
    }

    @Test("a raw value matches its case only byte for byte; any other string is refused with its text")
    func rawValues() throws {
        func read<T: BinaryRawEnum>(_ text: String, as type: T.Type) throws -> T {
            let bytes = try BinaryEncoder().encode(text)
            return try bytes.withUnsafeBytes { bytes in
                var reader = BinaryReader(bytes: bytes, offset: 0)
                return try reader.value(T.self)
            }
        }
        for role in Role.allCases { #expect(try read(role.rawValue, as: Role.self) == role) }
        for step in StepID.allCases { #expect(try read(step.rawValue, as: StepID.self) == step) }
        for kind in ApplicationKind.allCases { #expect(try read(kind.rawValue, as: ApplicationKind.self) == kind) }
        for wrong in ["", "dept", "dept-head ", "Dept-head", "dept-heads", "seal-keeper\u{0}", "印章"] {
            #expect(throws: BinaryDecodingError.unexpectedValue(wrong)) { try read(wrong, as: Role.self) }
        }
    }
}
