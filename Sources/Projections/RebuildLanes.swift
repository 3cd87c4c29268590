import Dispatch
import Events
import Synchronization

/// A rebuild's read models split in two lanes that apply the same events side by side: the caller's thread
/// applies the first lane's models to each chunk while a queue of its own applies the second's. The models are
/// independent, so each sees every event in log order whichever lane it is in; a model's rows are touched by its
/// lane alone.
///
/// The lanes are balanced by what each model costs, measured as the pass goes: every `timedEvery`th chunk, each
/// model's time on it is measured, and when the costs so far split better otherwise, the second lane first
/// finishes what it was given, then the models move. What a model keeps says little of what it costs: the step
/// durations keep a few thousand rows and cost as much as a model of a few hundred thousand.
final class RebuildLanes: @unchecked Sendable {
    /// How many chunks the second lane may have waiting.
    static let chunksAhead = 4

    private let targets: [ProjectionEngine.Target]
    private let memory: [MemoryRows]
    /// The models each lane applies. Read and changed on the caller's thread alone, and changed only while the
    /// second lane has nothing left to do; each chunk the second lane is given carries its own copy.
    private var lanes: [[Int]]
    /// Each model's time on the chunks measured so far, in seconds, and how many it was measured on.
    private let costs: Mutex<[(seconds: Double, chunks: Int)]>
    /// One chunk in this many is measured.
    private let timedEvery: Int
    private var chunksApplied = 0
    /// How many times models moved between the lanes.
    private(set) var moves = 0
    private let second = DispatchQueue(label: "sealhall-rebuild-lane")
    private let room = DispatchSemaphore(value: chunksAhead)
    private let failure = Mutex<(any Error)?>(nil)

    /// Lanes for `targets`, each applying to its `memory` (in the same order), first balanced by the bytes each
    /// model's rows take now, then by the time each takes on one chunk in `timedEvery`.
    init(_ targets: [ProjectionEngine.Target], memory: [MemoryRows], timedEvery: Int = 16) {
        self.targets = targets
        self.memory = memory
        self.timedEvery = timedEvery
        costs = Mutex(Array(repeating: (0, 0), count: targets.count))
        lanes = Self.split(targets.map { Double($0.expectedBytes + 1) })
    }

    /// Applies `events` in both lanes; returns once the first lane has, rethrowing the second lane's failure on
    /// an earlier chunk.
    func apply(_ events: [SharedEvent]) throws {
        chunksApplied += 1
        let timed = chunksApplied % timedEvery == 0
        if lanes.count > 1 {
            let lane = lanes[1]
            room.wait()
            second.async { [self] in
                defer { room.signal() }
                do { try apply(events, lane: lane, timed: timed) } catch { failure.withLock { $0 = $0 ?? error } }
            }
        }
        try apply(events, lane: lanes[0], timed: timed)
        try rethrowFailure()
        if timed { try rebalance() }
    }

    /// Waits for the second lane to finish what it was given, and rethrows its failure.
    func finish() throws {
        second.sync {}
        try rethrowFailure()
    }

    private func apply(_ events: [SharedEvent], lane: [Int], timed: Bool) throws {
        let projections = lane.map { targets[$0].projection }
        var rows = lane.map { memory[$0] }
        guard timed else {
            // Event by event, each lent to every model of the lane.
            for shared in events {
                for model in projections.indices {
                    try projections[model].apply(shared.recorded, to: &rows[model])
                }
            }
            return
        }
        let clock = ContinuousClock()
        var spent = [Duration]()
        for model in projections.indices {
            let started = clock.now
            for shared in events {
                try projections[model].apply(shared.recorded, to: &rows[model])
            }
            spent.append(clock.now - started)
        }
        costs.withLock { costs in
            for (model, duration) in zip(lane, spent) {
                let (seconds, attoseconds) = duration.components
                costs[model].seconds += Double(seconds) + Double(attoseconds) / 1e18
                costs[model].chunks += 1
            }
        }
    }

    /// Moves models between the lanes when their costs per chunk measured so far split better otherwise, by a
    /// twentieth of the heavier lane at least (a split is kept while it is about as good). The second lane may
    /// not have measured its latest chunk yet, hence costs per chunk measured.
    private func rebalance() throws {
        guard lanes.count > 1 else { return }
        let measured = costs.withLock { $0 }
        guard measured.allSatisfy({ $0.chunks > 0 }) else { return }
        let costs = measured.map { $0.seconds / Double($0.chunks) }
        let heavier = { (lanes: [[Int]]) in lanes.map { $0.reduce(0) { $0 + costs[$1] } }.max() ?? 0 }
        let better = Self.split(costs)
        guard heavier(better) < heavier(lanes) * 0.95 else { return }
        // The second lane applies nothing more under the old split before the models move.
        try finish()
        lanes = better
        moves += 1
    }

    /// The models split in two lanes of about equal `costs`: the costliest first, each to the lighter lane.
    private static func split(_ costs: [Double]) -> [[Int]] {
        var lanes: [[Int]] = [[], []]
        var loads = [0.0, 0.0]
        for model in costs.indices.sorted(by: { costs[$0] > costs[$1] }) {
            let lane = loads[0] <= loads[1] ? 0 : 1
            lanes[lane].append(model)
            loads[lane] += costs[model]
        }
        return lanes.filter { !$0.isEmpty }
    }

    private func rethrowFailure() throws {
        if let error = failure.withLock({ $0 }) { throw error }
    }
}

/// A recorded event boxed once by the replay's reader, so that both lanes take it by reference: taking a
/// `RecordedEvent` out of an array copies it, retaining every string and array inside (a twentieth of a
/// rebuild's time, twice per event).
final class SharedEvent: Sendable {
    let recorded: RecordedEvent

    init(_ recorded: consuming RecordedEvent) {
        self.recorded = recorded
    }
}
