/// Every entry from a position on: first those already committed, then each new one as it commits.
///
/// Commits of this process wake the subscription at once; it also looks again every `pollInterval`, so that
/// it follows a store that another process writes. It ends when the log closes or its task is cancelled.
public struct LogSubscription: AsyncSequence, Sendable {
    public typealias Element = LogEntry

    let log: EventLog
    let start: UInt64
    let pollInterval: Duration

    public func makeAsyncIterator() -> Iterator {
        Iterator(log: log, next: Swift.max(start, 1), pollInterval: pollInterval)
    }

    /// Walks the log in chunks and waits at the head.
    public struct Iterator: AsyncIteratorProtocol {
        let log: EventLog
        var next: UInt64
        let pollInterval: Duration
        var buffer: [LogEntry] = []
        var index = 0

        public mutating func next() async throws -> LogEntry? {
            while index == buffer.count {
                if Task.isCancelled { return nil }
                do {
                    buffer = try log.entries(from: next, limit: 1024)
                } catch LogError.closed {
                    return nil
                }
                index = 0
                if let last = buffer.last {
                    next = last.position + 1
                } else if await !log.waitForCommit(beyond: next - 1, pollInterval: pollInterval) {
                    return nil
                }
            }
            defer { index += 1 }
            return buffer[index]
        }
    }
}

extension EventLog {
    /// Subscribes to the log from `position` (1 for all of it; `head.position + 1` for new entries only).
    public func subscribe(from position: UInt64, pollInterval: Duration = .milliseconds(250)) -> LogSubscription {
        LogSubscription(log: self, start: position, pollInterval: pollInterval)
    }

    /// Waits until this process commits past `position` or `pollInterval` passes; false once the log is closed
    /// or the task is cancelled.
    func waitForCommit(beyond position: UInt64, pollInterval: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.headSignal.wait(beyond: position) }
            group.addTask { (try? await Task.sleep(for: pollInterval)) != nil }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
