import Foundation

/// Whether the write transaction of one batch committed durably: for work on another thread that prepares what
/// the batch's writes lead to while the batch commits, and must not show it unless the batch is on disk.
///
/// The writer resolves it once, after the commit's sync (true) or when the batch fails or is rolled back to be
/// run again (false).
public final class BatchCommit: @unchecked Sendable {
    private let condition = NSCondition()
    /// Written once, under the condition's lock.
    private var outcome: Bool?

    init() {}

    /// Blocks the calling thread until the batch has committed durably (true) or failed (false).
    public func wait() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while outcome == nil { condition.wait() }
        return outcome!
    }

    func resolve(committed: Bool) {
        condition.lock()
        defer { condition.unlock() }
        guard outcome == nil else { return }
        outcome = committed
        condition.broadcast()
    }
}
