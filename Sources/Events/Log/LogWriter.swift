import CLMDB
import Foundation
import Synchronization

/// The log's single writer: one thread that owns every write transaction.
///
/// Callers hand it units of work and suspend. The thread takes everything that has queued up since its last
/// commit, runs each unit against one write transaction (a unit's appends are written only if it succeeds),
/// commits that transaction durably
/// (LMDB's fsync) and only then resumes the callers: concurrent appends share one commit (group commit), and
/// no caller hears of success before its events are on disk. A unit that throws fails alone.
///
/// A unit may run more than once (when the map must grow mid-batch, the batch is rolled back and re-run), so
/// units must compute their writes from the session alone.
final class LogWriter: @unchecked Sendable {
    private let environment: LMDBEnvironment
    private let databases: LogDatabases
    private let index: LogIndex
    private let tableHandles: DerivedTableHandles
    private let clock: @Sendable () -> Date
    private let onCommit: @Sendable (LogHead) -> Void
    private let condition = NSCondition()
    private var pending: [any PendingWrite] = []
    private var isStopping = false
    private var stopped: [CheckedContinuation<Void, Never>] = []
    private var hasStopped = false
    /// How many units the last batch took: the callers it resumed, whom the next batch waits a moment for.
    private var lastBatchSize = 0
    /// How many pending units wake the writer: one when it waits for work, the awaited count while it delays.
    private var wakeCount = 1
    private let committedBatches = Atomic<Int>(0)
    private let committedUnits = Atomic<Int>(0)

    /// The most units one transaction takes.
    static let maxBatch = 4096
    /// The longest a batch waits for the previous batch's callers to return, in seconds.
    static let commitDelay = 0.000_3
    /// How many times a batch is re-run after growing the map before the failure is reported.
    static let maxGrowthsPerBatch = 16

    init(
        environment: LMDBEnvironment, databases: LogDatabases, index: LogIndex, clock: @escaping @Sendable () -> Date,
        tableHandles: DerivedTableHandles, threadName: String, onCommit: @escaping @Sendable (LogHead) -> Void
    ) {
        self.environment = environment
        self.databases = databases
        self.index = index
        self.tableHandles = tableHandles
        self.clock = clock
        self.onCommit = onCommit
        Thread.start(named: threadName) { [self] in run() }
    }

    /// Runs `work` in the next batch and returns its result once the batch is durably committed.
    func submit<R: Sendable>(_ work: @escaping @Sendable (inout LogWriteSession) throws -> R) async throws -> R {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(work) { continuation.resume(with: $0) }
        }
    }

    /// Runs `work` in the next batch without waiting for it; `completion` gets its result on the writer's thread
    /// once the batch is durably committed, or the failure — at once, on the caller's thread, when the writer
    /// is stopping.
    func enqueue<R: Sendable>(
        _ work: @escaping @Sendable (inout LogWriteSession) throws -> R,
        then completion: @escaping @Sendable (Result<R, any Error>) -> Void
    ) {
        condition.lock()
        guard !isStopping else {
            condition.unlock()
            completion(.failure(LogError.closed))
            return
        }
        pending.append(PendingWork(work: work, completion: completion))
        if pending.count >= wakeCount { condition.signal() }
        condition.unlock()
    }

    /// How many write transactions have committed, and how many units of work they carried.
    var counts: WriterCounts {
        WriterCounts(
            batches: committedBatches.load(ordering: .relaxed), units: committedUnits.load(ordering: .relaxed))
    }

    /// Refuses new work, lets queued work commit, and returns when the thread has ended.
    func stop() async {
        await withCheckedContinuation { continuation in
            condition.lock()
            defer { condition.unlock() }
            if hasStopped {
                continuation.resume()
                return
            }
            isStopping = true
            stopped.append(continuation)
            condition.signal()
        }
    }

    private func run() {
        while let batch = nextBatch() {
            commit(batch)
        }
        condition.lock()
        hasStopped = true
        let waiting = stopped
        stopped = []
        condition.unlock()
        waiting.forEach { $0.resume() }
    }

    private func nextBatch() -> [any PendingWrite]? {
        condition.lock()
        defer { condition.unlock() }
        wakeCount = 1
        while pending.isEmpty && !isStopping {
            condition.wait()
        }
        // Commit delay: the callers the last batch resumed usually come back within microseconds; waiting a
        // moment for them lets one commit carry them all instead of splitting them over two.
        wakeCount = lastBatchSize
        let deadline = Date(timeIntervalSinceNow: Self.commitDelay)
        while pending.count < lastBatchSize && !isStopping && condition.wait(until: deadline) {}
        guard !pending.isEmpty else { return nil }
        lastBatchSize = min(pending.count, Self.maxBatch)
        let batch = Array(pending.prefix(Self.maxBatch))
        pending.removeFirst(batch.count)
        return batch
    }

    private func commit(_ batch: [any PendingWrite]) {
        var growths = 0
        while true {
            let commit = BatchCommit()
            do {
                try makeRoom()
                let (head, tailChange) = try environment.write { transaction in
                    // The stored head is the truth: another process may have appended since our last batch.
                    let head = try databases.head(in: transaction)
                    let runs = try index.prepareBatch(in: transaction, head: head)
                    var session = LogWriteSession(
                        transaction: transaction, databases: databases, tableHandles: tableHandles, index: index,
                        runs: runs, recordedAtMicros: max(Microseconds.from(clock()), head.recordedAtMicros), head: head,
                        commit: commit)
                    for unit in batch {
                        try unit.run(in: &session)
                    }
                    try session.finishBatch()
                    let tailChange = try index.index(
                        session.writtenEntries, through: session.head.position, runs: runs, in: transaction)
                    return (session.head, tailChange)
                }
                index.apply(tailChange)
                committedBatches.add(1, ordering: .relaxed)
                committedUnits.add(batch.count, ordering: .relaxed)
                onCommit(head)
                commit.resolve(committed: true)
                batch.forEach { $0.resume() }
                return
            } catch let error as LMDBError where error == .mapFull && growths < Self.maxGrowthsPerBatch {
                commit.resolve(committed: false)
                growths += 1
                try? environment.growMap(to: environment.usage.mapSize * 2)
            } catch {
                commit.resolve(committed: false)
                batch.forEach { $0.fail(LogError(reporting: error)) }
                return
            }
        }
    }

    /// Doubles the map while less than half of it is free, so callers never meet `MDB_MAP_FULL`.
    private func makeRoom() throws {
        let usage = environment.usage
        if usage.usedBytes * 2 > usage.mapSize {
            try environment.growMap(to: usage.mapSize * 2)
        }
    }
}

/// What the writer has committed since the log was opened: units per batch shows how well commits are shared.
public struct WriterCounts: Sendable, Equatable {
    public var batches: Int
    public var units: Int
}

/// A unit of work waiting for the writer, with the caller that waits for its result.
private protocol PendingWrite: AnyObject {
    /// Runs the unit and writes its appends into the batch; rethrows only storage failures, which end the batch.
    func run(in session: inout LogWriteSession) throws
    /// Hands the unit's outcome to its caller, after the batch committed.
    func resume()
    /// Tells the caller that the batch failed.
    func fail(_ error: LogError)
}

private final class PendingWork<R: Sendable>: PendingWrite {
    let work: @Sendable (inout LogWriteSession) throws -> R
    let completion: @Sendable (Result<R, any Error>) -> Void
    var outcome: Result<R, any Error>?

    init(
        work: @escaping @Sendable (inout LogWriteSession) throws -> R,
        completion: @escaping @Sendable (Result<R, any Error>) -> Void
    ) {
        self.work = work
        self.completion = completion
    }

    func run(in session: inout LogWriteSession) throws {
        do {
            let result = try work(&session)
            try session.writeUnit()
            outcome = .success(result)
        } catch let error as LMDBError {
            throw error
        } catch {
            session.discardUnit()
            outcome = .failure(error)
        }
    }

    func resume() {
        completion(outcome ?? .failure(LogError.closed))
    }

    func fail(_ error: LogError) {
        completion(.failure(error))
    }
}
