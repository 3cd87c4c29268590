import Dispatch
import Foundation
import Synchronization

/// Writes the index runs a slice per commit, so that no commit carries a whole run.
///
/// A run written by the commit that filled the tail made that commit take a fifth of a second under load (the
/// sort, 130,000 puts and their fsync), and every command waited it out. Now, once a commit leaves the tail with
/// `runEntries` entries or more, those entries are prepared (`PreparedRun`) on another thread while commits go on.
/// The first commit after `runEntries / 8` more entries writes the first slice under a new run id — waiting for
/// the preparation only if it is not done by then, so runs fall at the same places on every run of the same
/// commits — and each commit after it writes the next slice, at least `minimumSlice` postings and eight per
/// entry it appends, so that runs keep ahead of bulk appends. The commit that writes the last slice records the
/// run in the catalogue, and the tail drops the entries the run covers.
///
/// Readers see only catalogued runs, so slices of a commit that failed or of a process that crashed are harmless.
/// A run whose stored slices are not what this writer left, or whose start the catalogue has passed (another
/// process wrote a run), is deleted and prepared again; opening the log deletes any uncatalogued slices.
final class IndexRunWriter: Sendable {
    /// Where the run under way stands.
    enum Stage: Sendable {
        case idle
        case preparing(Preparation)
        /// Written under `id` up to `cursor`; `lastKey` is the last key it wrote.
        case writing(PreparedRun, id: UInt32, cursor: PreparedRun.Cursor, lastKey: [UInt8]?)

        var isIdle: Bool { if case .idle = self { true } else { false } }
    }

    /// A run being prepared on a thread of its own.
    final class Preparation: Sendable {
        /// The last position of the entries it indexes.
        let last: UInt64
        private let result = Mutex<PreparedRun?>(nil)
        private let done = DispatchSemaphore(value: 0)

        init(_ batches: [[IndexedEntry]], first: UInt64, last: UInt64) {
            self.last = last
            // A thread of its own, not a pooled one: the writer may wait for it, and must not depend on a pool
            // whose threads could all be busy.
            Thread.start(named: "index-run-prep") { [self] in
                let run = PreparedRun(batches.flatMap { $0 }, first: first, last: last)
                result.withLock { $0 = run }
                done.signal()
            }
        }

        /// The prepared run, waiting for it when it is not ready.
        var run: PreparedRun {
            if let run = result.withLock({ $0 }) { return run }
            done.wait()
            return result.withLock { $0! }
        }
    }

    let runEntries: Int
    let slicePostings: Int
    private let stage = Mutex<Stage>(.idle)

    init(runEntries: Int, slicePostings: Int) {
        self.runEntries = runEntries
        self.slicePostings = slicePostings
    }

    /// The stage the next commit starts from.
    var current: Stage { stage.withLock { $0 } }

    /// Takes on the stage a committed batch left, and starts preparing a run when the tail has enough entries.
    func committed(_ next: Stage?, tail: IndexTail) {
        let ended = stage.withLock { stage -> Stage? in
            var ended: Stage?
            if let next {
                if next.isIdle && !stage.isIdle { ended = stage }
                stage = next
            }
            guard stage.isIdle, tail.count >= runEntries else { return ended }
            let (base, through) = tail.bounds
            stage = .preparing(Preparation(tail.batches, first: base + 1, last: through))
            tail.prepareCut(through: through)
            return ended
        }
        // A run that ended holds tens of thousands of postings arrays: freed on the writer's thread, they took it
        // 7–8 ms under load, with every waiting command. Another thread frees them.
        if let ended { DispatchQueue.global(qos: .background).async { withExtendedLifetime(ended) {} } }
    }

    /// Moves the run under way on inside a commit that appends `batchEntries` entries and ends at `head`;
    /// returns the stage to take on once the commit is durable, and the run it catalogued, if any.
    func advance(batchEntries: Int, head: UInt64, runs: IndexRuns, in transaction: LMDBTransaction, databases: LogDatabases)
        throws -> (stage: Stage, catalogued: IndexRuns.Run?)
    {
        switch current {
        case .idle:
            return (.idle, nil)
        case .preparing(let preparation):
            guard head >= preparation.last + UInt64(max(1, runEntries / 8)) else { return (.preparing(preparation), nil) }
            let prepared = preparation.run
            guard runs.indexedThrough == prepared.first - 1 else { return (.idle, nil) }
            let stored = try PreparedRun.lastRunId(in: transaction, databases: databases) ?? 0
            let id = max(runs.nextId, stored + 1)
            return try write(prepared, id: id, from: .start, batchEntries: batchEntries, runs: runs, in: transaction, databases: databases)
        case .writing(let prepared, let id, let cursor, let lastKey):
            guard runs.indexedThrough == prepared.first - 1,
                try PreparedRun.lastKey(in: transaction, databases: databases) == lastKey
            else {
                try PreparedRun.delete(runs: id..<id + 1, in: transaction, databases: databases)
                return (.idle, nil)
            }
            return try write(prepared, id: id, from: cursor, batchEntries: batchEntries, runs: runs, in: transaction, databases: databases)
        }
    }

    private func write(
        _ prepared: PreparedRun, id: UInt32, from cursor: PreparedRun.Cursor, batchEntries: Int, runs: IndexRuns,
        in transaction: LMDBTransaction, databases: LogDatabases
    ) throws -> (stage: Stage, catalogued: IndexRuns.Run?) {
        let limit = max(slicePostings, 8 * batchEntries)
        if let next = try prepared.write(run: id, from: cursor, limit: limit, in: transaction, databases: databases) {
            let lastKey = try PreparedRun.lastKey(in: transaction, databases: databases)
            return (.writing(prepared, id: id, cursor: next, lastKey: lastKey), nil)
        }
        let run = IndexRuns.Run(id: id, first: prepared.first, last: prepared.last)
        var runs = runs
        try runs.catalogue(run, in: transaction, databases: databases)
        return (.idle, run)
    }
}
