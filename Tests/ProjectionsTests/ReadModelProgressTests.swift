import Testing

@testable import Events
@testable import Projections

extension ReadModelProgress {
    /// Returns once the read models reflect `position` (`whenVisible`, awaited).
    func wait(for position: UInt64, head: () -> UInt64, queue: (_ id: UInt64, _ through: UInt64) -> Void) async throws {
        try await withCheckedThrowingContinuation { continuation in
            whenVisible(position, head: head, queue: queue) { continuation.resume(with: $0) }
        }
    }
}

@Suite("Commands waiting for the read models")
struct ReadModelProgressTests {
    /// Waits for `position` in a task; the rounds the waiter asks for come out of the stream it returns.
    static func waiter(
        for position: UInt64, head: UInt64, in progress: ReadModelProgress
    ) -> (Task<Void, any Error>, AsyncStream<(id: UInt64, through: UInt64)>.Iterator) {
        let (rounds, asked) = AsyncStream.makeStream(of: (id: UInt64, through: UInt64).self)
        let task = Task { try await progress.wait(for: position, head: { head }) { asked.yield((id: $0, through: $1)) } }
        return (task, rounds.makeAsyncIterator())
    }

    @Test("a command no round covers asks for one through the head, and waits until a round reaches it")
    func uncoveredCommandWaitsForItsRound() async throws {
        let progress = ReadModelProgress()
        var (waiter, rounds) = Self.waiter(for: 5, head: 7, in: progress)
        let asked = try #require(await rounds.next())
        #expect(asked.through == 7)
        // The log's batch failed: nobody is resumed, and the command, still waiting, needs another round.
        let retry = try #require(progress.ended(asked.id, .failure(ProjectionError.batchNotCommitted), head: 7))
        // A chunk that stops short of it leaves it waiting again.
        let rest = try #require(progress.ended(retry.id, .success(4), head: 7))
        #expect(progress.ended(rest.id, .success(7), head: 7) == nil, "nobody is left waiting")
        try await waiter.value
        try await progress.wait(for: 6, head: { 7 }) { _, _ in Issue.record("a round was asked for what is shown") }
    }

    @Test("a round queued beforehand (a staged batch) covers the commands it will bring in")
    func stagedRoundCovers() async throws {
        let progress = ReadModelProgress()
        let staged = progress.queued(through: 9)
        let waiter = Task {
            try await progress.wait(for: 9, head: { 9 }) { _, _ in Issue.record("a round was asked for though one covers it") }
        }
        #expect(progress.ended(staged, .success(9), head: 9) == nil)
        try await waiter.value
    }

    @Test("when the read models' store fails, the commands the round covered fail with its error")
    func storeFailureFailsCoveredCommands() async throws {
        struct DiskGone: Error {}
        let progress = ReadModelProgress()
        var (waiter, rounds) = Self.waiter(for: 11, head: 12, in: progress)
        let asked = try #require(await rounds.next())
        #expect(progress.ended(asked.id, .failure(DiskGone()), head: 12) == nil)
        await #expect(throws: DiskGone.self) { try await waiter.value }
    }
}
