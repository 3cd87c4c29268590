import Foundation
import Synchronization
import Testing
import TestSupport

@testable import Events

@Suite("Appending")
struct LogAppendTests {
    @Test("entries are stored with gapless positions, stream versions, time, actor and tags")
    func appendsAndReadsBack() async throws {
        let clock = TestClock()
        try await withTemporaryLog(options: LogOptions(clock: clock.read)) { (log: EventLog) async throws in
            let first = try await log.append(request([event("application:A1", "submitted", tags: ["seal:S1"])]))
            clock.advance(by: 60)
            let second = try await log.append(
                request([event("application:A1", "approved"), event("seal:S1", "affixed", tags: ["application:A1"])]))
            #expect(first == AppendResult(positions: 1...1, isDuplicate: false))
            #expect(second.positions == 2...3)
            let entries = try log.entries(from: 1, limit: 10)
            #expect(entries.map(\.position) == [1, 2, 3])
            #expect(entries.map(\.streamVersion) == [1, 2, 1])
            #expect(entries.map(label) == ["submitted", "approved", "affixed"])
            #expect(entries[0].tags == ["seal:S1"])
            #expect(entries[0].actor == "tester")
            #expect(entries[0].recordedAt == clock.read().addingTimeInterval(-60))
            #expect(entries[2].recordedAt == clock.read())
            #expect(log.head.position == 3 && log.head.hash == entries[2].hash)
            #expect(try log.version(of: "application:A1") == 2)
            #expect(try log.version(of: "application:none") == 0)
        }
    }

    @Test("recorded times never go back, even when the clock does")
    func recordedTimeIsMonotonic() async throws {
        let clock = TestClock()
        try await withTemporaryLog(options: LogOptions(clock: clock.read)) { (log: EventLog) async throws in
            _ = try await log.append(request([event("s", "1")]))
            clock.advance(by: -3600)
            _ = try await log.append(request([event("s", "2")]))
            let times = try log.entries(from: 1, limit: 2).map(\.recordedAt)
            #expect(times[1] == times[0])
        }
    }

    @Test("a failed expectation appends nothing of its request")
    func expectationsGuardTheWholeRequest() async throws {
        try await withTemporaryLog { (log: EventLog) async throws in
            _ = try await log.append(request([event("a", "1")], expecting: ["a": .noStream]))
            await #expect(throws: LogError.wrongExpectedVersion(stream: "b", expected: .exactly(3), actual: 0)) {
                try await log.append(request([event("a", "2"), event("b", "1")], expecting: ["a": .exactly(1), "b": .exactly(3)]))
            }
            await #expect(throws: LogError.wrongExpectedVersion(stream: "a", expected: .noStream, actual: 1)) {
                try await log.append(request([event("a", "2")], expecting: ["a": .noStream]))
            }
            #expect(log.head.position == 1)
            #expect(try log.version(of: "b") == 0)
            let third = try await log.append(request([event("a", "2")], expecting: ["a": .exactly(1)]))
            #expect(third.positions == 2...2)
        }
    }

    @Test("the same idempotency key returns the first positions; reused for another request it is refused")
    func idempotencyKeys() async throws {
        try await withTemporaryLog { (log: EventLog) async throws in
            let original = try await log.append(request([event("a", "1"), event("a", "2")], key: "key-1"))
            let retry = try await log.append(request([event("a", "1"), event("a", "2")], key: "key-1"))
            #expect(retry == AppendResult(positions: original.positions, isDuplicate: true))
            #expect(log.head.position == 2)
            await #expect(throws: LogError.idempotencyKeyReused("key-1")) {
                try await log.append(request([event("a", "other")], key: "key-1"))
            }
            #expect(log.head.position == 2)
            #expect(try log.statistics().idempotencyKeys == 1)
        }
    }

    /// Requests that each break one limit of the log.
    enum InvalidRequest: String, CaseIterable, CustomTestStringConvertible {
        case noEvents, emptyStream, longStream, nulInStream, tooManyTags, largePayload, emptyKey

        var testDescription: String { rawValue }

        var request: AppendRequest {
            switch self {
            case .noEvents: EventsTests.request([])
            case .emptyStream: EventsTests.request([event("", "x")])
            case .longStream: EventsTests.request([event(String(repeating: "s", count: 257), "x")])
            case .nulInStream: EventsTests.request([event("stream\u{0}nul", "x")])
            case .tooManyTags: EventsTests.request([event("s", "x", tags: Array(repeating: "t", count: 65))])
            case .largePayload:
                EventsTests.request([NewEvent(stream: "s", type: "T", payload: Array(repeating: 0, count: (1 << 20) + 1))])
            case .emptyKey: EventsTests.request([event("s", "x")], key: "")
            }
        }
    }

    @Test("requests that break a limit are refused whole", arguments: InvalidRequest.allCases)
    func invalidRequests(_ invalid: InvalidRequest) async throws {
        try await withTemporaryLog { (log: EventLog) async throws in
            await #expect {
                try await log.append(invalid.request)
            } throws: { error in
                if case LogError.invalidRequest = error { return true } else { return false }
            }
            #expect(log.head == .empty)
            #expect(try log.statistics().entries == 0)
        }
    }

    @Test("a unit of work that throws leaves nothing, while its batch-mates commit")
    func failingUnitLeavesNoTrace() async throws {
        struct Refused: Error {}
        try await withTemporaryLog { (log: EventLog) async throws in
            let failing = Task {
                try await log.transact { session in
                    _ = try session.append([event("x", "half")], actor: "tester", commandId: "c1")
                    throw Refused()
                }
            }
            let succeeding = Task { try await log.append(request([event("y", "whole")])) }
            await #expect(throws: Refused.self) { try await failing.value }
            #expect(try await succeeding.value.positions == 1...1)
            #expect(try log.entries(from: 1, limit: 10).map(label) == ["whole"])
            #expect(try log.version(of: "x") == 0)
            #expect(try log.verify().ok)
        }
    }

    @Test("a session's commit says whether its batch committed: true once it is durable, false when it failed")
    func batchCommitOutcome() async throws {
        struct Refused: Error {}
        try await withTemporaryLog { (log: EventLog) async throws in
            let committed = try await log.transact { session in
                _ = try session.append([event("a", "kept")], actor: "tester", commandId: "c1")
                return session.commit
            }
            #expect(committed.wait())
            let failed = Mutex<BatchCommit?>(nil)
            await #expect(throws: LogError.self) {
                try await log.transact { session in
                    _ = try session.append([event("b", "lost")], actor: "tester", commandId: "c2")
                    failed.withLock { $0 = session.commit }
                    session.atBatchEnd("refuse") { _ in throw Refused() }
                }
            }
            #expect(try #require(failed.withLock { $0 }).wait() == false)
            #expect(try log.entries(from: 1, limit: 10).map(label) == ["kept"])
        }
    }

    @Test("concurrent appends share commits")
    func groupCommit() async throws {
        try await withTemporaryLog { (log: EventLog) async throws in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<64 {
                    group.addTask { _ = try await log.append(request([event("s-\(index)", "\(index)")])) }
                }
                try await group.waitForAll()
            }
            let counts = log.writerCounts
            #expect(counts.units == 64)
            #expect(counts.batches < 64)
            #expect(log.head.position == 64)
        }
    }

    @Test("the log reopens at its head, and appends after a reopen continue the chain")
    func reopening() async throws {
        try await withTemporaryDirectory { directory in
            let log = try EventLog(directory: directory)
            _ = try await log.append(request([event("a", "1"), event("b", "1")]))
            let head = log.head
            await log.close()
            await #expect(throws: LogError.closed) { try await log.append(request([event("a", "2")])) }
            #expect(throws: LogError.closed) { try log.entries(from: 1, limit: 1) }

            let reopened = try EventLog(directory: directory)
            #expect(reopened.head == head)
            _ = try await reopened.append(request([event("a", "2")], expecting: ["a": .exactly(1)]))
            #expect(try reopened.verify().ok)
            #expect(try reopened.stream("a").map(\.streamVersion) == [1, 2])
            await reopened.close()
        }
    }
}
