import CLMDB
import Foundation
import Testing
import TestSupport

@testable import Events

@Suite("Integrity")
struct LogIntegrityTests {
    /// Appends 50 entries, copies the store, changes the copy's stored bytes with `tamper` (straight through
    /// LMDB, around the log) and returns what verifying the copy reports.
    private func verifyTamperedCopy(
        _ tamper: (LMDBEnvironment, LogDatabases, LMDBTransaction) throws -> Void
    ) async throws -> VerifyReport {
        try await withTemporaryDirectory { directory in
            let log = try EventLog(directory: directory + "/original")
            for index in 1...50 {
                _ = try await log.append(request([event("s-\(index % 7)", "\(index)", tags: ["t"])]))
            }
            #expect(try log.verify() == VerifyReport(ok: true, checked: 50, headPosition: 50, headHash: log.head.hash))
            try log.backup(to: directory + "/copy")
            await log.close()

            let copy = try EventLog(directory: directory + "/copy")
            try copy.environment.write { try tamper(copy.environment, copy.databases, $0) }
            let report = try copy.verify()
            await copy.close()
            return report
        }
    }

    private func rewrite(
        _ position: UInt64, in databases: LogDatabases, _ transaction: LMDBTransaction,
        _ change: (inout [UInt8]) -> Void
    ) throws {
        try withBigEndian(position) { key in
            var stored = [UInt8](try #require(try transaction.get(databases.entries, key: key)))
            change(&stored)
            try stored.withUnsafeBytes { try transaction.put(databases.entries, key: key, value: $0) }
        }
    }

    @Test("one changed payload byte is found at its position", arguments: [1, 23, 50] as [UInt64])
    func changedPayloadByte(position: UInt64) async throws {
        let report = try await verifyTamperedCopy { _, databases, transaction in
            try rewrite(position, in: databases, transaction) { $0[$0.count - ChainHash.byteCount - 3] ^= 0x01 }
        }
        #expect(!report.ok)
        #expect(report.firstBadPosition == position)
        #expect(report.checked == position - 1)
    }

    @Test("a changed time, a forged hash, a changed length, a missing entry and a rolled-back head are all found")
    func otherTampering() async throws {
        let changedTime = try await verifyTamperedCopy { _, databases, transaction in
            try rewrite(10, in: databases, transaction) { $0[32] ^= 0x40 }
        }
        #expect(changedTime.firstBadPosition == 10)

        // Rehashing the changed entry does not help: the next entry's link no longer matches.
        let rehashed = try await verifyTamperedCopy { _, databases, transaction in
            let previous = try #require(try withBigEndian(19) { try transaction.get(databases.entries, key: $0) })
            let previousHash = ChainHash(bytes: UnsafeRawBufferPointer(rebasing: previous[(previous.count - 32)...]))
            try rewrite(20, in: databases, transaction) { stored in
                stored[stored.count - 33] ^= 0x01
                let record = Array(stored.dropLast(32))
                let forged = record.withUnsafeBytes { ChainHash.link(after: previousHash, record: $0) }
                stored = record
                forged.withUnsafeBytes { stored.append(contentsOf: $0) }
            }
        }
        #expect(rehashed.firstBadPosition == 21)

        let truncated = try await verifyTamperedCopy { _, databases, transaction in
            try rewrite(5, in: databases, transaction) { $0.removeLast(40) }
        }
        #expect(truncated.firstBadPosition == 5)

        let missing = try await verifyTamperedCopy { _, databases, transaction in
            _ = try withBigEndian(30) { key in
                var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
                try lmdbCheck(mdb_del(transaction.handle, databases.entries, &keyValue, nil))
            }
        }
        #expect(missing.firstBadPosition == 30)

        let rolledBack = try await verifyTamperedCopy { _, databases, transaction in
            let head = try databases.head(in: transaction)
            let earlier = LogHead(position: head.position - 1, hash: head.hash, recordedAtMicros: 0)
            try LogDatabases.headKey.withUnsafeBytes { key in
                try earlier.stored.withUnsafeBytes { try transaction.put(databases.meta, key: key, value: $0) }
            }
        }
        #expect(!rolledBack.ok && rolledBack.firstBadPosition == 51)
    }

    @Test("verifying from a trusted checkpoint checks only what follows it, and refuses a wrong checkpoint")
    func checkpoints() async throws {
        try await withTemporaryLog { (log: EventLog) async throws in
            for index in 1...30 {
                _ = try await log.append(request([event("s", "\(index)")]))
            }
            let trusted = try #require(try log.entry(at: 20))
            let report = try log.verify(from: LogCheckpoint(position: 20, hash: trusted.hash))
            #expect(report.ok && report.checked == 10 && report.headPosition == 30)
            let wrong = try log.verify(from: LogCheckpoint(position: 20, hash: .genesis))
            #expect(!wrong.ok && wrong.firstBadPosition == 20)
        }
    }

    @Test("a store started with a tiny map grows while being written to, with no error")
    func mapGrowth() async throws {
        let initial = 128 << 10
        try await withTemporaryLog(options: LogOptions(initialMapSize: initial)) { (log: EventLog) async throws in
            let payload = Array(repeating: UInt8(ascii: "x"), count: 1000)
            // Small appends from many tasks, then one append larger than the whole first map.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<8 {
                    group.addTask {
                        for index in 0..<100 {
                            let event = NewEvent(stream: "s-\(task)", type: "Big", tags: ["t-\(index)"], payload: payload)
                            _ = try await log.append(request([event]))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let large = (0..<2000).map { NewEvent(stream: "large", type: "Big", tags: ["t-\($0)"], payload: payload) }
            _ = try await log.append(request(large))
            let statistics = try log.statistics()
            #expect(statistics.entries == 2800)
            #expect(statistics.mapBytes > 2_800_000)
            #expect(try log.verify().ok)
            #expect(try log.stream("large").count == 2000)
        }
    }

    @Test("malformed stored bytes decode to nothing rather than crash")
    func malformedRecords() {
        let record = EntryCodec.encode(
            EntryCodec.Record(
                position: 1, stream: "s", streamVersion: 1, type: "T", schemaVersion: 1, recordedAtMicros: 0,
                actor: "a", commandId: "c", tags: ["t1", "t2"], payload: [1, 2, 3]))
        let stored = record + Array(repeating: 0, count: 32)
        #expect(stored.withUnsafeBytes { EntryCodec.decode($0) }?.tags == ["t1", "t2"])
        for length in 0..<stored.count {
            #expect(Array(stored.prefix(length)).withUnsafeBytes { EntryCodec.decode($0) } == nil)
        }
        var wrongFormat = stored
        wrongFormat[0] = 2
        #expect(wrongFormat.withUnsafeBytes { EntryCodec.decode($0) } == nil)
        var hugeTagCount = stored
        hugeTagCount[1] = 255
        #expect(hugeTagCount.withUnsafeBytes { EntryCodec.decode($0) } == nil)
    }

    @Test("chain hashes print and parse as 64 hexadecimal digits")
    func hashText() throws {
        let hash = Array(0..<32 as Range<UInt8>).withUnsafeBytes { ChainHash(bytes: $0) }
        #expect(hash.hex == "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
        #expect(ChainHash(hex: hash.hex.uppercased()) == hash)
        #expect(ChainHash(hex: "xyz") == nil)
        #expect(ChainHash(hex: String(repeating: "g", count: 64)) == nil)
    }
}
