import Foundation
import Synchronization

/// Counts failed logins per account and per address; after `limit` failures within `window`, further attempts
/// get 429 until the window has passed since the first of them. A success clears the account's count.
final class LoginThrottle: Sendable {
    private struct Failures {
        var count: Int
        var since: Date
    }

    let limit: Int
    let window: TimeInterval
    private let clock: @Sendable () -> Date
    private let failures = Mutex<[String: Failures]>([:])

    init(limit: Int = 5, window: TimeInterval = 15 * 60, clock: @escaping @Sendable () -> Date) {
        self.limit = limit
        self.window = window
        self.clock = clock
    }

    /// Seconds until `keys` may try again, or nil when none of them is blocked.
    func retryAfter(_ keys: [String]) -> Int? {
        let now = clock()
        return failures.withLock { failures in
            keys.compactMap { key -> Int? in
                guard let entry = failures[key] else { return nil }
                let remaining = entry.since.addingTimeInterval(window).timeIntervalSince(now)
                if remaining <= 0 {
                    failures[key] = nil
                    return nil
                }
                return entry.count >= limit ? Int(remaining.rounded(.up)) : nil
            }.max()
        }
    }

    func recordFailure(_ keys: [String]) {
        let now = clock()
        failures.withLock { failures in
            for key in keys {
                var entry = failures[key] ?? Failures(count: 0, since: now)
                if now.timeIntervalSince(entry.since) > window { entry = Failures(count: 0, since: now) }
                entry.count += 1
                failures[key] = entry
            }
        }
    }

    func recordSuccess(_ key: String) {
        failures.withLock { $0[key] = nil }
    }
}
