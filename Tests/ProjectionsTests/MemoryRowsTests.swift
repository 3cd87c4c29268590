import Foundation
import Testing
import TestSupport

@testable import Events
@testable import Projections

@Suite("Rows held in memory for a rebuild")
struct MemoryRowsTests {
    /// Keys of 1 to 70 bytes of ASCII and Chinese (three bytes a character), so that many lie on either side of
    /// the 48 bytes a key is held inline up to, some exactly at it.
    static func key(_ random: inout SplitMix64) -> String {
        let pieces = ["a", "b", "/", "0", "印", "章"]
        let target = Int(random.next() % 70) + 1
        var key = ""
        while key.utf8.count < target { key += pieces[Int(random.next() % UInt64(pieces.count))] }
        return key
    }

    @Test("held and unread rows read back, change, delete and pack as a dictionary of the last writes would")
    func matchesDictionary() throws {
        var random = SplitMix64(seed: 21)
        let held = (0..<300).map { _ in Self.key(&random) }
        let unread = (0..<300).map { _ in "unread/" + Self.key(&random) }.filter { !held.contains($0) }
        #expect(held.contains { $0.utf8.count == InlineKeyBytes.capacity } && held.contains { $0.utf8.count > 48 })
        let rows = MemoryRows(rows: 16, bytes: 256)
        var expected = [String: String]()
        for step in 0..<20_000 {
            let value = "value \(step)"
            switch random.next() % 5 {
            case 0:
                let key = unread[Int(random.next() % UInt64(unread.count))]
                let deleted = random.next() % 3 == 0
                try rows.setUnreadRow(deleted ? nil : value, key: RowKey(key))
                expected[key] = deleted ? nil : value
            case 1:
                let key = held[Int(random.next() % UInt64(held.count))]
                try rows.setRow(String?.none, key: RowKey(key))
                expected[key] = nil
            case 2:
                let key = held[Int(random.next() % UInt64(held.count))]
                let found = try rows.updateRow(String.self, key: RowKey(key)) { $0 += "!" }
                #expect(found == (expected[key] != nil))
                expected[key] = expected[key].map { $0 + "!" }
                #expect(try rows.row(String.self, key: RowKey(key)) == expected[key])
            default:
                let key = held[Int(random.next() % UInt64(held.count))]
                #expect(try rows.row(String.self, key: RowKey(key)) == expected[key])
                try rows.setRow(value, key: RowKey(key))
                expected[key] = value
            }
        }
        let packed = try rows.takePacked()
        var seen = [(key: [UInt8], value: [UInt8])]()
        packed.forEach(in: 0..<packed.count) { key, value in seen.append((Array(key), Array(value))) }
        let keys = expected.keys.map { Array($0.utf8) }.sorted(by: KeyOrder.precedes)
        #expect(seen.map(\.key) == keys)
        #expect(try seen.allSatisfy { row in
            try BinaryEncoder().encode(expected[String(decoding: row.key, as: UTF8.self)]!) == row.value
        })
    }

    @Test("a row held while it changes and written out unread once it no longer does packs its last value")
    func heldThenUnread() throws {
        let rows = MemoryRows()
        try rows.setRow("in review", key: "mine/a")
        try rows.setRow("approved", key: "mine/a")
        try rows.setRow(String?.none, key: "mine/a")
        try rows.setUnreadRow("completed", key: "mine/a")
        try rows.setRow("in review", key: "mine/b")
        let packed = try rows.takePacked()
        var seen = [String: [UInt8]]()
        packed.forEach(in: 0..<packed.count) { key, value in seen[String(decoding: key, as: UTF8.self)] = Array(value) }
        #expect(seen == ["mine/a": try BinaryEncoder().encode("completed"), "mine/b": try BinaryEncoder().encode("in review")])
    }

    /// A group of lines, for the tests: its members are `line/<name>`, each holding its name's length.
    struct Lines: RowGroup, Equatable {
        var names: [String]

        func forEachMember(_ body: (String, Int) throws -> Void) rethrows {
            for name in names { try body("line/\(name)", name.count) }
        }
    }

    @Test("a held group packs as its row and its members as they last were; a deleted one packs nothing")
    func groups() throws {
        let rows = MemoryRows()
        try rows.updateGroup(Lines.self, key: "group/a") { $0 = Lines(names: ["x", "yy"]) }
        var changed: Lines?
        try rows.updateGroup(Lines.self, key: "group/a") { group in
            group?.names.append("zzz")
            changed = group
        }
        #expect(changed == Lines(names: ["x", "yy", "zzz"]))
        try rows.updateGroup(Lines.self, key: "group/b") { $0 = Lines(names: ["gone"]) }
        try rows.updateGroup(Lines.self, key: "group/b") { $0 = nil }
        try rows.updateGroup(Lines.self, key: "group/c") { group in
            #expect(group == nil)
            group?.names = ["never"]
        }
        try rows.setUnreadRow(0, key: "line/gone")
        #expect(throws: ProjectionError.self) { try rows.updateRow(String.self, key: "group/a") { $0 += "!" } }
        let packed = try rows.takePacked()
        var seen = [String: [UInt8]]()
        packed.forEach(in: 0..<packed.count) { key, value in seen[String(decoding: key, as: UTF8.self)] = Array(value) }
        let encoder = BinaryEncoder()
        #expect(seen == [
            "group/a": try encoder.encode(Lines(names: ["x", "yy", "zzz"])), "line/x": try encoder.encode(1),
            "line/yy": try encoder.encode(2), "line/zzz": try encoder.encode(3), "line/gone": try encoder.encode(0),
        ])
    }

    @Test("a key held inline equals, and hashes as, only the same bytes")
    func inlineKeys() {
        let keys = ["", "a", "a\u{0}", "application/A2026-000001", String(repeating: "印", count: 16),
                    String(repeating: "印", count: 17), String(repeating: "x", count: 48), String(repeating: "x", count: 49)]
        for (index, key) in keys.enumerated() {
            #expect(RowKey(key).withUTF8 { Array($0) } == Array(key.utf8))
            for (other, otherKey) in keys.enumerated() {
                #expect((RowKey(key) == RowKey(otherKey)) == (index == other))
            }
            let copy = RowKey(String(decoding: Array(key.utf8), as: UTF8.self))
            #expect(RowKey(key).hashValue == copy.hashValue)
            #expect(RowKey(key)._rawHashValue(seed: 7) == copy._rawHashValue(seed: 7))
        }
        if case .inline = RowKey(String(repeating: "x", count: 48)).storage {} else { Issue.record("48 bytes lie inline") }
        if case .long = RowKey(String(repeating: "x", count: 49)).storage {} else { Issue.record("49 bytes stay text") }
    }

    @Test("a key written as an interpolation is the key of its text, however its parts fall about the 48 inline bytes")
    func interpolatedKeys() {
        var random = SplitMix64(seed: 48)
        for _ in 0..<2000 {
            let first = Self.key(&random), second = Self.key(&random)
            let number = Int(random.next() % 100_000) - 50_000
            let text = "p/\(first)/\(second)/\(number)"
            let key: RowKey = "p/\(first)/\(second)/\(number)"
            #expect(key == RowKey(text), "\(text)")
            #expect(key.hashValue == RowKey(text).hashValue)
            #expect(key.description == text)
            #expect(key.withUTF8 { Array($0) } == Array(text.utf8))
        }
    }

    @Test("keys that differ only after a long shared prefix spread over a dictionary's buckets as random ones would")
    func inlineKeysSpread() {
        let buckets = 1 << 16
        for seed in [0, 1, Int.random(in: .min ... .max)] {
            var load = [Int](repeating: 0, count: buckets)
            for number in 0..<buckets {
                let digits = String(number)
                let key = RowKey("pending/dept-head/D10/A2026-" + String(repeating: "0", count: 6 - digits.count) + digits)
                load[key._rawHashValue(seed: seed) & (buckets - 1)] += 1
            }
            // As many keys as buckets: a uniform hash leaves about 36.8 % of them empty and none with 12 keys.
            let empty = Double(load.filter { $0 == 0 }.count) / Double(buckets)
            #expect(empty > 0.35 && empty < 0.39, "seed \(seed): \(empty) empty")
            #expect(load.max()! < 12, "seed \(seed)")
        }
    }
}
