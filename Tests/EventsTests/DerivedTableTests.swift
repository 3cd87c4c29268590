import Foundation
import Testing
import TestSupport

@testable import Events

@Suite("Derived tables")
struct DerivedTableTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
    static func readV(_ session: LogWriteSession) throws -> [UInt8]? { try session.tableValue("t", key: bytes("v")) }

    @Test("a unit's table writes commit with its entries, are visible to the unit itself, and read as one snapshot")
    func writesCommitWithEntries() async throws {
        try await withTemporaryDirectory { directory in
            let log = try EventLog(directory: directory)
            try await log.createTable("counts")
            let seen = try await log.transact { session in
                _ = try session.append([event("s", "1")], actor: "tester", commandId: "c1")
                try session.setTableValue("counts", key: Self.bytes("s"), value: Self.bytes("1"))
                return try session.tableValue("counts", key: Self.bytes("s"))
            }
            #expect(seen == Self.bytes("1"))
            let (head, value) = try log.readTables { ($0.headPosition, try $0.value("counts", key: Self.bytes("s"))) }
            #expect(head == 1 && value == Self.bytes("1"))
            await log.close()

            let reopened = try EventLog(directory: directory)
            #expect(throws: LogError.invalidRequest("table counts does not exist")) {
                try reopened.readTables { try $0.count("counts") }
            }
            try await reopened.createTable("counts")
            #expect(try reopened.readTables { try $0.value("counts", key: Self.bytes("s")) } == Self.bytes("1"))
            await reopened.close()
        }
    }

    @Test("dropped tables are gone, rows and all, from this process and the store; others stay")
    func droppedTables() async throws {
        try await withTemporaryDirectory { directory in
            let log = try EventLog(directory: directory)
            for table in ["old", "kept"] {
                try await log.createTable(table)
                try await log.transact { session in try session.setTableValue(table, key: Self.bytes("k"), value: [1]) }
            }
            #expect(try await log.dropTables(["old", "never-made"]) == ["old"])
            #expect(throws: LogError.invalidRequest("table old does not exist")) { try log.readTables { try $0.count("old") } }
            #expect(try await log.dropTables(["old"]) == [])
            await log.close()

            let reopened = try EventLog(directory: directory)
            #expect(try await reopened.dropTables(["old"]) == [])
            try await reopened.createTable("old")
            try await reopened.createTable("kept")
            #expect(try reopened.readTables { try $0.count("old") } == 0)
            #expect(try reopened.readTables { try $0.value("kept", key: Self.bytes("k")) } == [1])
            await reopened.close()
        }
    }

    @Test("a unit that throws leaves no table write, while its batch-mates' writes commit")
    func failedUnitWritesNothing() async throws {
        struct Refused: Error {}
        try await withTemporaryLog { (log: EventLog) async throws in
            try await log.createTable("t")
            let failing = Task {
                try await log.transact { session in
                    try session.setTableValue("t", key: Self.bytes("a"), value: Self.bytes("x"))
                    throw Refused()
                }
            }
            let succeeding = Task {
                try await log.transact { session in try session.setTableValue("t", key: Self.bytes("b"), value: Self.bytes("y")) }
            }
            await #expect(throws: Refused.self) { try await failing.value }
            try await succeeding.value
            #expect(try log.readTables { try $0.value("t", key: Self.bytes("a")) } == nil)
            #expect(try log.readTables { try $0.value("t", key: Self.bytes("b")) } == Self.bytes("y"))
        }
    }

    @Test("batch-end work runs once per batch, after every unit of it, even when the unit that asked failed")
    func batchEndWork() async throws {
        struct Refused: Error {}
        try await withTemporaryLog { (log: EventLog) async throws in
            try await log.createTable("t")
            let before = log.writerCounts.batches
            // Counts the batches that ran it, and notes the head it saw.
            let work: @Sendable (inout LogWriteSession) throws -> Void = { session in
                let runs = try session.tableValue("t", key: Self.bytes("runs")).map { Int(String(decoding: $0, as: UTF8.self))! } ?? 0
                try session.setTableValue("t", key: Self.bytes("runs"), value: Self.bytes(String(runs + 1)))
                try session.setTableValue("t", key: Self.bytes("head"), value: Self.bytes(String(session.headPosition)))
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        do {
                            try await log.transact { session in
                                _ = try session.append([event("s\(index)", "e")], actor: "tester", commandId: "c\(index)")
                                session.atBatchEnd("work", work)
                                session.atBatchEnd("work", work)
                                if index % 10 == 0 { throw Refused() }
                            }
                        } catch is Refused {}
                    }
                }
                try await group.waitForAll()
            }
            let batches = log.writerCounts.batches - before
            let (runs, head) = try log.readTables { reader in
                (try reader.value("t", key: Self.bytes("runs")), try reader.value("t", key: Self.bytes("head")))
            }
            #expect(batches < 200, "the units shared batches")
            #expect(runs == Self.bytes(String(batches)))
            #expect(head == Self.bytes(String(log.head.position)) && log.head.position == 180)
        }
    }

    @Test("deleting and clearing, and reading in key order from a key on")
    func deleteClearScan() async throws {
        try await withTemporaryLog { (log: EventLog) async throws in
            try await log.createTable("t")
            try await log.transact { session in
                for key in ["b", "a", "c", "d"] {
                    try session.setTableValue("t", key: Self.bytes(key), value: Self.bytes(key.uppercased()))
                }
                try session.setTableValue("t", key: Self.bytes("c"), value: nil)
            }
            var keys = [String]()
            try log.readTables { reader in
                try reader.forEach("t", from: Self.bytes("b")) { key, _ in
                    keys.append(String(decoding: key, as: UTF8.self))
                    return true
                }
            }
            #expect(keys == ["b", "d"])
            let stillVisible = try await log.transact { session in
                try session.clearTable("t")
                let afterClear = try session.tableValue("t", key: Self.bytes("a"))
                try session.setTableValue("t", key: Self.bytes("z"), value: Self.bytes("Z"))
                return afterClear
            }
            #expect(stillVisible == nil)
            #expect(try log.readTables { try $0.count("t") } == 1)
            await #expect(throws: LogError.self) {
                try await log.transact { session in try session.setTableValue("missing", key: Self.bytes("k"), value: []) }
            }
        }
    }
}

@Suite("Derived tables: bulk appends")
struct DerivedTableAppendTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
    static func readV(_ session: LogWriteSession) throws -> [UInt8]? { try session.tableValue("t", key: bytes("v")) }

    /// Keys in an order LMDB does not keep: prefixes, bytes above 0x7F (UTF-8), a byte below every letter, a
    /// zero byte (what a sort prefix pads short keys with), and long keys that first differ before, within and
    /// past their first 24 bytes.
    static let shuffledKeys = [
        "mine/b", "印章/2", "done/a/1", "done/a", "done/a\u{1}", "印章/10", "Z", "done/b/0", "a", "mine/b\u{0}",
        "application/A2026-000010/x", "application/A2026-000009", "application/A2026-000010", "application/A2026-0000101",
        "application/A2026-000010\u{0}", "applicatioo", "application/A2025-999999/zzzzzzzzzzzzzzzzzzz",
    ]

    static func packed(_ keys: [String]) -> PackedRows {
        var rows = PackedRows()
        for key in keys { rows.append(key: bytes(key), value: bytes("value of \(key)")) }
        return rows
    }

    static func stored(_ log: EventLog, _ table: String) throws -> [[UInt8]] {
        try log.readTables { reader in
            var keys = [[UInt8]]()
            try reader.forEach(table) { key, value in
                keys.append(key)
                #expect(value == bytes("value of ") + key)
                return true
            }
            return keys
        }
    }

    @Test("rows packed in any order are sorted as LMDB keeps keys and land whole, over several units")
    func sortedRowsAppend() async throws {
        try await withTemporaryLog { (log: EventLog) async throws in
            try await log.createTable("t")
            let rows = Self.packed(Self.shuffledKeys).sortedByKey()
            try await log.transact { session in try session.appendTableRows("t", rows, 0..<4) }
            try await log.transact { session in
                try session.appendTableRows("t", rows, 4..<6)
                try session.appendTableRows("t", rows, 6..<rows.count)
            }
            let expected = Self.shuffledKeys.map(Self.bytes).sorted(by: KeyOrder.precedes)
            #expect(try Self.stored(log, "t") == expected)
            #expect(expected.first == Self.bytes("Z") && expected.last == Self.bytes("印章/2"))
        }
    }

    @Test("sorting packed rows orders random keys as LMDB does, keeps equal keys in the order added, and each value with its key")
    func sortMatchesKeyOrder() {
        var random = SplitMix64(seed: 11)
        // Few distinct bytes, a shared 20-byte stem on most keys and lengths around the 24-byte sort prefix, so
        // that most pairs tie on the prefix, some keys are prefixes of others, and a few are equal.
        let alphabet: [UInt8] = [0x00, 0x01, 0x2F, 0x41, 0x7F, 0x80, 0xFF]
        let stem = Self.bytes("application/A2026-00")
        let keys = (0..<3000).map { _ -> [UInt8] in
            let tail = (0..<Int(random.next() % 10)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            return random.next() % 5 == 0 ? Array(tail.prefix(3)) : stem + tail
        }
        var rows = PackedRows()
        for (index, key) in keys.enumerated() { rows.append(key: key, value: Self.bytes("\(index)")) }
        let sorted = rows.sortedByKey()
        var seen = [(key: [UInt8], index: Int)]()
        sorted.forEach(in: 0..<sorted.count) { key, value in
            seen.append((Array(key), Int(String(decoding: value, as: UTF8.self))!))
        }
        let expected = keys.indices.sorted { a, b in
            KeyOrder.precedes(keys[a], keys[b]) || (keys[a] == keys[b] && a < b)
        }
        #expect(seen.map(\.index) == expected)
        #expect(seen.allSatisfy { keys[$0.index] == $0.key })
        #expect(Set(keys.map { $0 }).count < keys.count, "the keys include equal ones")
    }

    @Test("a log of writes and deletions packs to the last write of each key, deleted keys left out, in key order")
    func latestByKeyKeepsLastWrites() throws {
        var random = SplitMix64(seed: 12)
        var rows = PackedRows()
        var expected = [[UInt8]: [UInt8]]()
        // Few keys, so that most are written again, some deleted and some written after their deletion.
        for index in 0..<4000 {
            let key = "done/\(random.next() % 300)" + (random.next() % 7 == 0 ? "印" : "")
            if random.next() % 4 == 0 {
                Self.bytes(key).withUnsafeBytes { rows.appendDeletion(key: $0) }
                expected[Self.bytes(key)] = nil
            } else {
                rows.append(key: key) { $0.string("\(index)") }
                expected[Self.bytes(key)] = try BinaryEncoder().encode("\(index)")
            }
        }
        let latest = rows.latestByKey()
        var seen = [(key: [UInt8], value: [UInt8])]()
        latest.forEach(in: 0..<latest.count) { key, value in seen.append((Array(key), Array(value))) }
        #expect(latest.count == expected.count && expected.count < 300 * 2)
        #expect(seen.map(\.key) == expected.keys.sorted(by: KeyOrder.precedes))
        #expect(seen.allSatisfy { expected[$0.key] == $0.value })
    }

    @Test("a key that does not rise past the table's last, or past the unit's own earlier rows, stages nothing")
    func outOfOrderKeysRefused() async throws {
        try await withTemporaryLog { (log: EventLog) async throws in
            try await log.createTable("t")
            let rows = Self.packed(["b", "c"])
            try await log.transact { session in try session.appendTableRows("t", rows, 0..<2) }
            let refused = LogError.invalidRequest("appended table keys must rise")
            await #expect(throws: refused) {
                try await log.transact { session in try session.appendTableRows("t", Self.packed(["d", "a"]), 0..<2) }
            }
            await #expect(throws: refused) {
                try await log.transact { session in try session.appendTableRows("t", Self.packed(["c"]), 0..<1) }
            }
            await #expect(throws: refused) {
                try await log.transact { session in
                    try session.appendTableRows("t", Self.packed(["x"]), 0..<1)
                    try session.appendTableRows("t", Self.packed(["w"]), 0..<1)
                }
            }
            #expect(try Self.stored(log, "t") == [Self.bytes("b"), Self.bytes("c")])
            try await log.transact { session in
                try session.clearTable("t")
                try session.appendTableRows("t", Self.packed(["a"]), 0..<1)
            }
            #expect(try Self.stored(log, "t") == [Self.bytes("a")])
        }
    }

    @Test("rows that rise by construction are still refused when they start at or before the table's last key, or hold a key too long")
    func risingRowsChecked() async throws {
        try await withTemporaryLog { (log: EventLog) async throws in
            try await log.createTable("t")
            try await log.transact { session in try session.appendTableRows("t", Self.packed(["m"]), 0..<1) }
            let rising = Self.packed(["q", "a", "z", "m"]).latestByKey()
            #expect(rising.risingKeyLengths == 1...1)
            await #expect(throws: LogError.invalidRequest("appended table keys must rise")) {
                try await log.transact { session in try session.appendTableRows("t", rising, 0..<2) }
            }
            let long = Self.packed(["x", String(repeating: "y", count: 512)]).latestByKey()
            await #expect(throws: LogError.invalidRequest("a table key must be 1 to 511 bytes")) {
                try await log.transact { session in try session.appendTableRows("t", long, 0..<2) }
            }
            try await log.transact { session in try session.appendTableRows("t", rising, 3..<4) }
            #expect(try Self.stored(log, "t") == [Self.bytes("m"), Self.bytes("z")])
        }
    }
}
