import CLMDB

/// A point of the chain that is trusted without checking: verification starts after it.
public struct LogCheckpoint: Sendable, Equatable {
    public var position: UInt64
    public var hash: ChainHash

    /// Before the first entry.
    public static let start = LogCheckpoint(position: 0, hash: .genesis)

    public init(position: UInt64, hash: ChainHash) {
        self.position = position
        self.hash = hash
    }
}

/// What a walk over the hash chain found.
public struct VerifyReport: Sendable, Equatable {
    /// True when every entry checked is intact and the stored head matches the last one.
    public var ok: Bool
    /// How many entries were recomputed.
    public var checked: UInt64
    public var headPosition: UInt64
    public var headHash: ChainHash
    /// The first position whose entry is missing, malformed, or does not hash to what the chain says.
    public var firstBadPosition: UInt64?
    /// What was wrong there, in words.
    public var problem: String?
}

extension EventLog {
    /// Recomputes the hash chain from `checkpoint` to the head, a chunk per read transaction, and reports the
    /// first entry that does not match.
    public func verify(from checkpoint: LogCheckpoint = .start) throws -> VerifyReport {
        var report = VerifyReport(
            ok: true, checked: 0, headPosition: checkpoint.position, headHash: checkpoint.hash)
        func fail(_ position: UInt64, _ problem: String) {
            report.ok = false
            report.firstBadPosition = position
            report.problem = problem
        }
        if checkpoint.position > 0 {
            let stored = try entry(at: checkpoint.position)?.hash
            guard stored == checkpoint.hash else {
                fail(checkpoint.position, "the checkpoint's hash is not the stored one")
                return report
            }
        }
        var isAtEnd = false
        while report.ok && !isAtEnd {
            try environment.read { transaction in
                try transaction.withCursor(databases.entries) { cursor in
                    let expected = report.headPosition + 1
                    var record = try withBigEndian(expected) { try cursor.move(MDB_SET_RANGE, key: $0) }
                    var chunk = 0
                    while let current = record, chunk < Self.readChunk {
                        let position = current.key.bigEndianUInt64(at: 0)
                        let expected = report.headPosition + 1
                        guard position == expected else { return fail(expected, "entry \(expected) is missing") }
                        guard let length = EntryCodec.recordLength(of: current.value) else {
                            return fail(position, "the stored entry is malformed")
                        }
                        guard EntryCodec.position(of: current.value) == position else {
                            return fail(position, "the entry names another position")
                        }
                        let recordBytes = UnsafeRawBufferPointer(rebasing: current.value[..<length])
                        let computed = ChainHash.link(after: report.headHash, record: recordBytes)
                        guard computed == ChainHash(bytes: UnsafeRawBufferPointer(rebasing: current.value[length...]))
                        else { return fail(position, "the entry does not hash to its stored hash") }
                        report.headPosition = position
                        report.headHash = computed
                        report.checked += 1
                        chunk += 1
                        record = try cursor.move(MDB_NEXT)
                    }
                    guard record == nil else { return }
                    isAtEnd = true
                    let stored = try databases.head(in: transaction)
                    if stored.position != report.headPosition || stored.hash != report.headHash {
                        fail(report.headPosition + 1, "the stored head (\(stored.position)) does not match the chain")
                    }
                }
            }
        }
        return report
    }
}
