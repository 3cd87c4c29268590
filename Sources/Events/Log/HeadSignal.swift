import Synchronization

/// The newest committed head, and the tasks waiting for it to move: how subscriptions learn of new entries.
final class HeadSignal: Sendable {
    private struct State {
        var head: LogHead
        var isClosed = false
        var nextWaiter = 0
        /// Waiters not yet suspended or resumed; a cancellation that comes early is noted here.
        var announced: [Int: Bool] = [:]
        var waiting: [Int: CheckedContinuation<Bool, Never>] = [:]
    }

    private let state: Mutex<State>

    init(head: LogHead) {
        state = Mutex(State(head: head))
    }

    var current: LogHead {
        state.withLock { $0.head }
    }

    /// Publishes a newly committed head and wakes every waiter.
    func advance(to head: LogHead) {
        let woken = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            guard head.position > state.head.position else { return [] }
            state.head = head
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        woken.forEach { $0.resume(returning: true) }
    }

    /// Wakes every waiter for good: the log is closing.
    func close() {
        let woken = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            state.isClosed = true
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        woken.forEach { $0.resume(returning: false) }
    }

    /// Suspends until the head passes `position`; false when the log closed or the task was cancelled first.
    func wait(beyond position: UInt64) async -> Bool {
        let waiter = state.withLock { state in
            defer { state.nextWaiter += 1 }
            state.announced[state.nextWaiter] = false
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let answer: Bool? = state.withLock { state in
                    let cancelled = state.announced.removeValue(forKey: waiter) ?? true
                    if cancelled || state.isClosed { return false }
                    if state.head.position > position { return true }
                    state.waiting[waiter] = continuation
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            let continuation = state.withLock { state in
                if state.announced[waiter] != nil { state.announced[waiter] = true }
                return state.waiting.removeValue(forKey: waiter)
            }
            continuation?.resume(returning: false)
        }
    }
}
