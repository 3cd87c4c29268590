import CPrefetch
import Events
import Foundation

/// The first pass of a rebuild: the log's events through `through` applied to each model's rows in memory, by
/// two threads, one per core, each taking whichever task is ready — reading and decoding the next chunk of the
/// log, or applying a decoded chunk to one model.
///
/// A model takes the chunks one at a time, in log order, so it sees every event in order; the models are
/// independent, so two of them may take chunks at once, and chunks are read ahead in parallel. Of the models
/// ready, the one furthest behind goes first (the costliest of those as far behind): no thread waits while
/// there is work, and no model lags the others by more than the chunks read ahead. (A reader thread and two
/// lanes of models, three threads on two cores, left a core idle a sixth of the time: the reader, the slowest
/// of them, got no more than its share, and the lanes waited on it.)
final class RebuildPass: @unchecked Sendable {
    /// How many events one chunk holds.
    static let chunkSize = 2048
    /// How many chunks may be read ahead of the model furthest behind.
    static let chunksAhead = 8
    /// How many events ahead a model's task fetches an event's box.
    private static let prefetchDistance = 8

    private enum Task {
        case read(chunk: Int)
        case apply(model: Int, chunk: Int, events: DecodedChunk)
    }

    private let log: EventLog
    private let through: UInt64
    private let models: [any Projection]
    private let memory: [MemoryRows]
    private let report: @Sendable (UInt64, UInt64) -> Void
    private let chunkCount: Int

    /// Guards every property below.
    private let condition = NSCondition()
    /// The chunks read and not yet applied by every model.
    private var chunks: [Int: DecodedChunk] = [:]
    private var nextToRead = 0
    /// Each model's next chunk to apply.
    private var next: [Int]
    private var busy: [Bool]
    /// Each model's time applying chunks so far: of the models equally far behind, the costliest goes first.
    private var spent: [Duration]
    private var failure: (any Error)?
    private var workersRunning = 0

    /// A pass applying entries 1…`through` of `log` to `memory`, each model's rows (in the order of `models`);
    /// `report` hears (done, total) as the models furthest behind move on.
    init(
        log: EventLog, through: UInt64, models: [any Projection], memory: [MemoryRows],
        report: @escaping @Sendable (UInt64, UInt64) -> Void
    ) {
        self.log = log
        self.through = through
        self.models = models
        self.memory = memory
        self.report = report
        chunkCount = Int((through + UInt64(Self.chunkSize) - 1) / UInt64(Self.chunkSize))
        next = Array(repeating: 0, count: models.count)
        busy = Array(repeating: false, count: models.count)
        spent = Array(repeating: .zero, count: models.count)
    }

    /// Runs the pass on the calling thread and one more; returns once every model applied every chunk, or
    /// throws the first failure.
    func run() throws {
        condition.withLock { workersRunning = 2 }
        Thread.start(named: "rebuild-pass") { [self] in work() }
        work()
        try condition.withLock {
            while workersRunning > 0 { condition.wait() }
            if let failure { throw failure }
        }
        report(through, through)
    }

    private func work() {
        condition.lock()
        while let task = nextTask() {
            condition.unlock()
            let started = ContinuousClock.now
            let outcome = Result { try run(task) }
            let duration = ContinuousClock.now - started
            condition.lock()
            finish(task, outcome, duration)
            condition.broadcast()
        }
        workersRunning -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// The next task, once one is ready; nil once every chunk is applied or a task failed. Called with the lock
    /// held.
    private func nextTask() -> Task? {
        while failure == nil {
            let lowest = next.min() ?? chunkCount
            guard lowest < chunkCount else { return nil }
            let ready = models.indices.filter { !busy[$0] && next[$0] < chunkCount && chunks[next[$0]] != nil }
            if let model = ready.min(by: { (next[$0], spent[$1]) < (next[$1], spent[$0]) }),
                let events = chunks[next[model]]
            {
                busy[model] = true
                return .apply(model: model, chunk: next[model], events: events)
            }
            if nextToRead < chunkCount, nextToRead - lowest < Self.chunksAhead {
                defer { nextToRead += 1 }
                return .read(chunk: nextToRead)
            }
            condition.wait()
        }
        return nil
    }

    private func run(_ task: Task) throws -> DecodedChunk? {
        switch task {
        case .read(let chunk):
            return try read(chunk)
        case .apply(let model, _, let events):
            var rows = memory[model]
            let projection = models[model]
            let unmanaged = events.unmanaged
            for index in unmanaged.indices {
                // The boxes lie apart on the heap, made on either thread: the ones a few events ahead are fetched
                // while this one is applied.
                if index + Self.prefetchDistance < unmanaged.count {
                    sealhall_prefetch(unmanaged[index + Self.prefetchDistance].toOpaque())
                }
                try unmanaged[index]._withUnsafeGuaranteedRef { try projection.apply($0.recorded, to: &rows) }
            }
            return nil
        }
    }

    /// Chunk `chunk` of the log, decoded.
    private func read(_ chunk: Int) throws -> DecodedChunk {
        let start = UInt64(chunk * Self.chunkSize) + 1
        let count = Int(min(UInt64(Self.chunkSize), through - start + 1))
        let events = try log.sharedEvents(from: start, limit: count)
        guard events.count == count else { throw LogError.corruptEntry(position: start + UInt64(events.count)) }
        return DecodedChunk(events)
    }

    /// Records what `task` did. Called with the lock held.
    private func finish(_ task: Task, _ outcome: Result<DecodedChunk?, any Error>, _ duration: Duration) {
        if case .failure(let error) = outcome {
            failure = failure ?? error
            return
        }
        switch task {
        case .read(let chunk):
            chunks[chunk] = try? outcome.get()
        case .apply(let model, let chunk, _):
            busy[model] = false
            next[model] = chunk + 1
            spent[model] += duration
            if next.allSatisfy({ $0 > chunk }) {
                chunks[chunk] = nil
                report(min(UInt64(chunk + 1) * UInt64(Self.chunkSize), through), through)
            }
        }
    }
}

/// A chunk of decoded events, each boxed once (`SharedEvent`) and lent to every model from its box.
private final class DecodedChunk: Sendable {
    /// The events, held.
    let events: [SharedEvent]
    /// The same events, to lend without retaining each again for every model.
    let unmanaged: [Unmanaged<SharedEvent>]

    init(_ events: [SharedEvent]) {
        self.events = events
        unmanaged = events.map { Unmanaged.passUnretained($0) }
    }
}
