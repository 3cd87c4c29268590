import Foundation
import Synchronization

@testable import Events

/// A fresh directory under the system's temporary folder, removed when `body` returns.
func withTemporaryDirectory<R>(_ body: (String) async throws -> R) async throws -> R {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("sealhall-test-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try await body(directory)
}

/// Opens a log in a fresh directory, runs `body`, and closes the log.
func withTemporaryLog<R>(options: LogOptions = LogOptions(), _ body: (EventLog) async throws -> R) async throws -> R {
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

/// An event with a JSON payload naming `label`.
func event(_ stream: String, _ label: String, tags: [String] = [], type: String = "TestHappened") -> NewEvent {
    NewEvent(stream: stream, type: type, tags: tags, payload: Array(#"{"label":"\#(label)"}"#.utf8))
}

/// A request carrying `events`, by the test actor.
func request(
    _ events: [NewEvent], expecting expectations: [String: ExpectedVersion] = [:], key: String? = nil
) -> AppendRequest {
    AppendRequest(
        events: events, expectations: expectations, actor: "tester", commandId: UUID().uuidString,
        idempotencyKey: key)
}

/// The label a test event was appended with.
func label(of entry: LogEntry) -> String? {
    (try? JSONSerialization.jsonObject(with: Data(entry.payload)) as? [String: String])?["label"]
}

/// A clock that a test moves by hand.
final class TestClock: Sendable {
    private let now: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        now = Mutex(start)
    }

    func read() -> Date { now.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        now.withLock { $0 += seconds }
    }
}

/// Runs blocking work on a thread of its own, so that it never holds up the cooperative pool.
func onOwnThread<R: Sendable>(_ work: @escaping @Sendable () throws -> R) async throws -> R {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
