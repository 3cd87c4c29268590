import Foundation
import Synchronization

import Events

/// A fresh directory under the system's temporary folder, removed when `body` returns.
public func withTemporaryDirectory<R>(_ body: (String) async throws -> R) async throws -> R {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("sealhall-test-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try await body(directory)
}

/// Opens a log in a fresh directory, runs `body`, and closes the log.
public func withTemporaryLog<R>(options: LogOptions = LogOptions(), _ body: (EventLog) async throws -> R) async throws -> R {
    try await withTemporaryDirectory { directory in
        let log = try EventLog(directory: directory, options: options)
        do {
            let result = try await body(log)
            await log.close()
            return result
        } catch {
            await log.close()
            throw error
        }
    }
}

/// A clock that a test moves by hand.
public final class TestClock: Sendable {
    private let now: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        now = Mutex(start)
    }

    public func read() -> Date { now.withLock { $0 } }

    public func set(_ date: Date) {
        now.withLock { $0 = date }
    }

    public func advance(by seconds: TimeInterval) {
        now.withLock { $0 += seconds }
    }
}

/// Runs blocking work on a thread of its own, so that it never holds up the cooperative pool.
public func onOwnThread<R: Sendable>(_ work: @escaping @Sendable () throws -> R) async throws -> R {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// A value behind a lock, for test helpers shared between tasks.
public final class LockedValue<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    public init(_ value: Value) {
        self.value = Mutex(value)
    }

    public func update<R: Sendable>(_ body: (inout Value) -> R) -> R {
        value.withLock { body(&$0) }
    }
}
