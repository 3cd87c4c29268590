import Foundation
import TestSupport
import Testing

@testable import Server

/// Expired sessions leave the store: the `secret:sessions` table does not grow with every login forever; closed
/// ones are refused after a restart as before it.
@Suite("Session sweep")
struct SessionSweepTests {
    @Test func expiredSessionsAreDeletedAndLiveOnesKept() async throws {
        try await withTemporaryDirectory { directory in
            let clock = TestClock()
            let store = try await HallStore.open(directory: directory, hasher: .fast, clock: clock.read)
            let early = try await store.sessions.open(for: "20010001")
            clock.advance(by: 6 * 3600)
            let late = try await store.sessions.open(for: "20010002")
            #expect(try await store.sessions.sweepExpired() == 0)

            clock.advance(by: 7 * 3600)  // 13 h after the first login, 7 h after the second
            #expect(try store.sessions.record(for: early.token) == nil)
            #expect(try await store.sessions.sweepExpired() == 1)
            #expect(try store.log.readTables { try $0.count(SecretTables.sessions) } == 1)
            #expect(try store.sessions.record(for: late.token)?.account == "20010002")
            await store.close()

            // The deletion is durable: a reopened store still holds only the live session.
            let reopened = try await HallStore.open(directory: directory, hasher: .fast, clock: clock.read)
            #expect(try reopened.log.readTables { try $0.count(SecretTables.sessions) } == 1)
            #expect(try reopened.sessions.record(for: late.token)?.account == "20010002")
            await reopened.close()
        }
    }

    @Test("after a restart, a session read from the table and then closed is refused, from memory and from the table")
    func closedAfterRestart() async throws {
        try await withTemporaryDirectory { directory in
            let first = try await HallStore.open(directory: directory, hasher: .fast)
            let opened = try await first.sessions.open(for: "20010001")
            await first.close()

            let reopened = try await HallStore.open(directory: directory, hasher: .fast)
            #expect(try reopened.sessions.record(for: opened.token)?.account == "20010001", "read from the table")
            #expect(try reopened.sessions.record(for: opened.token)?.account == "20010001", "then from memory")
            try await reopened.sessions.close(token: opened.token)
            #expect(try reopened.sessions.record(for: opened.token) == nil)
            #expect(try reopened.log.readTables { try $0.count(SecretTables.sessions) } == 0)
            await reopened.close()
        }
    }
}
