import Dispatch
import Events
import Synchronization

/// A rebuild's read models split in two lanes that apply the same events side by side: the caller's thread
/// applies the first lane's models to each chunk while a queue of its own applies the second's. The models are
/// independent, so each sees every event in log order whichever lane it is in; a model's rows are touched by its
/// lane alone.
final class RebuildLanes: Sendable {
    /// How many chunks the second lane may have waiting.
    static let chunksAhead = 4

    private let targets: [ProjectionEngine.Target]
    private let memory: [MemoryRows]
    private let lanes: [[Int]]
    private let second = DispatchQueue(label: "sealhall-rebuild-lane")
    private let room = DispatchSemaphore(value: chunksAhead)
    private let failure = Mutex<(any Error)?>(nil)

    /// Lanes for `targets`, each applying to its `memory` (in the same order), balanced by the rows each model
    /// serves now.
    init(_ targets: [ProjectionEngine.Target], memory: [MemoryRows]) {
        self.targets = targets
        self.memory = memory
        var lanes: [[Int]] = [[], []]
        var weights = [0, 0]
        for index in targets.indices.sorted(by: { targets[$0].expectedRows > targets[$1].expectedRows }) {
            let lane = weights[0] <= weights[1] ? 0 : 1
            lanes[lane].append(index)
            weights[lane] += targets[index].expectedRows + 1
        }
        self.lanes = lanes.filter { !$0.isEmpty }
    }

    /// Applies `events` in both lanes; returns once the first lane has, rethrowing the second lane's failure on
    /// an earlier chunk.
    func apply(_ events: [SharedEvent]) throws {
        if lanes.count > 1 {
            room.wait()
            second.async { [self] in
                defer { room.signal() }
                do { try apply(events, lane: lanes[1]) } catch { failure.withLock { $0 = $0 ?? error } }
            }
        }
        try apply(events, lane: lanes[0])
        try rethrowFailure()
    }

    /// Waits for the second lane to finish what it was given, and rethrows its failure.
    func finish() throws {
        second.sync {}
        try rethrowFailure()
    }

    private func apply(_ events: [SharedEvent], lane: [Int]) throws {
        // Event by event, each lent to every model of the lane from its box (a model by model loop copied each
        // event out for each model).
        let projections = lane.map { targets[$0].projection }
        var rows = lane.map { memory[$0] }
        for shared in events {
            for model in projections.indices {
                try projections[model].apply(shared.recorded, to: &rows[model])
            }
        }
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
