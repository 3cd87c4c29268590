import Synchronization

/// How far the read models have come, which rounds of their writer are queued, and which commands wait: a
/// command waits until the read models reflect its position, and the end of a round resumes, on the read models'
/// writer thread, every command it brought in — no task in between.
final class ReadModelProgress: Sendable {
    private struct State {
        /// The log position every kept read model reflects as of its last commit.
        var visible: UInt64 = 0
        var lastRound: UInt64 = 0
        /// The rounds queued and not yet ended: id → the position each brings the read models to.
        var queued: [UInt64: UInt64] = [:]
        var waiting: [(position: UInt64, then: Waiter)] = []

        /// Notes a round queued through `through` and returns its id.
        mutating func queue(through: UInt64) -> UInt64 {
            lastRound += 1
            queued[lastRound] = through
            return lastRound
        }

        /// Takes the waiting commands that `covered` says are done with.
        mutating func takeWaiting(where covered: (UInt64) -> Bool) -> [Waiter] {
            let taken = waiting.filter { covered($0.position) }.map(\.then)
            if !taken.isEmpty { waiting.removeAll { covered($0.position) } }
            return taken
        }

        /// True when a waiting command lies beyond every queued round.
        var hasUncovered: Bool {
            guard let furthest = waiting.map(\.position).max() else { return false }
            return queued.values.allSatisfy { $0 < furthest }
        }
    }

    /// What a waiting command is told when the read models reflect its position, or fail to.
    typealias Waiter = @Sendable (Result<Void, any Error>) -> Void

    private let state = Mutex(State())

    /// Whether the read models reflect `position` now.
    func reflects(_ position: UInt64) -> Bool {
        state.withLock { $0.visible >= position }
    }

    /// How many commands or reads wait for a round (for tests that hold the read models back).
    var waitingCount: Int {
        state.withLock { $0.waiting.count }
    }

    /// Notes a round queued through `through`; returns its id, for `ended`.
    func queued(through: UInt64) -> UInt64 {
        state.withLock { $0.queue(through: through) }
    }

    /// Calls `then` once the read models reflect `position`: at once when they do, otherwise at the end of the
    /// round that brings them there. When no queued round covers it, notes a round through `head()` and asks
    /// `queue` to start it (outside the lock).
    func whenVisible(
        _ position: UInt64, head: () -> UInt64, queue: (_ id: UInt64, _ through: UInt64) -> Void,
        then: @escaping Waiter
    ) {
        let (done, catchUp) = state.withLock { state -> (Bool, (UInt64, UInt64)?) in
            guard state.visible < position else { return (true, nil) }
            state.waiting.append((position, then))
            guard state.hasUncovered else { return (false, nil) }
            let through = max(head(), position)
            return (false, (state.queue(through: through), through))
        }
        if done { then(.success(())) }
        if let (id, through) = catchUp { queue(id, through) }
    }

    /// Round `id` ended with `outcome`: resumes the commands it brought in, or fails those it covered when the
    /// read models' store failed (not when the log's batch did: those commands failed already, and their
    /// positions go to the next batch). Returns a round to queue when waiting commands are left that no queued
    /// round covers (a catch-up that stopped at its chunk, or after a failure).
    func ended(_ id: UInt64, _ outcome: Result<UInt64, any Error>, head: UInt64) -> (id: UInt64, through: UInt64)? {
        let (resumed, failed, next) = state.withLock { state in
            let through = state.queued.removeValue(forKey: id) ?? 0
            var resumed = [Waiter]()
            var failed = [Waiter]()
            switch outcome {
            case .success(let reached):
                state.visible = max(state.visible, reached)
                let visible = state.visible
                resumed = state.takeWaiting { $0 <= visible }
            case .failure(ProjectionError.batchNotCommitted): break
            case .failure: failed = state.takeWaiting { $0 <= through }
            }
            let next = state.hasUncovered ? (state.queue(through: head), head) : nil
            return (resumed, failed, next)
        }
        resumed.forEach { $0(.success(())) }
        if case .failure(let error) = outcome { failed.forEach { $0(.failure(error)) } }
        return next.map { (id: $0.0, through: $0.1) }
    }
}
