import Events
import Foundation
import Glibc
import Synchronization

/// Packs a rebuild's in-memory rows (`MemoryRows.takePacked`) on two threads of their own and hands each model's
/// packed rows over as soon as they are ready, so that the read models' writer stores one model while the others
/// still pack.
///
/// One thread packs from the largest model down, the other from the smallest up, until they meet: the writer
/// gets the small models at once, and the largest, whose store takes longest, is packed first. Threads of their
/// own rather than Dispatch's global queue, whose two threads (one per core) the packing would hold: the task
/// storing what was already packed then waited for all of it to be packed.
///
/// The threads run below the writer's priority (their nice value 5 above it), so that the writer, the phase's
/// one serial worker, has a core whenever it has rows to store and the packing takes what is left: at equal
/// priority the three threads shared both cores, and the writer, slowed while both packed, was left storing the
/// last model alone.
enum RebuildPacking {
    /// The packed rows of each of `memory`, as `(index, rows)` in the order they are ready; `sizes` ranks the
    /// models (the bytes each is expected to take).
    static func packed(_ memory: [MemoryRows], sizes: [Int]) -> AsyncThrowingStream<(index: Int, rows: PackedRows), any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: (index: Int, rows: PackedRows).self)
        let work = Work(memory.indices.sorted { sizes[$0] < sizes[$1] })
        continuation.onTermination = { _ in work.drop() }
        for largestFirst in [true, false] {
            Thread.start(named: "rebuild-packing") {
                _ = nice(5)  // on Linux, this thread's nice value, 5 above the process's
                while let index = work.next(largestFirst: largestFirst) {
                    do {
                        continuation.yield((index, try memory[index].takePacked()))
                    } catch {
                        continuation.finish(throwing: error)
                        return
                    }
                }
                if work.threadEnded() {
                    continuation.finish()
                    // The rows held are freed here, once all are packed, by a thread with nothing else to do while
                    // the writer stores what is left on the other core (not meanwhile, beside the packing).
                    for rows in memory { rows.freePacked() }
                }
            }
        }
        return stream
    }

    /// The models left to pack, smallest first, and how many packing threads still run.
    private final class Work: Sendable {
        private let state: Mutex<(pending: [Int], threads: Int)>

        init(_ pending: [Int]) {
            state = Mutex((pending, 2))
        }

        /// The next model to pack, from the largest or the smallest end; nil when none is left.
        func next(largestFirst: Bool) -> Int? {
            state.withLock { state in
                guard !state.pending.isEmpty else { return nil }
                return largestFirst ? state.pending.removeLast() : state.pending.removeFirst()
            }
        }

        /// Forgets the models not yet packed: nobody takes them any more.
        func drop() {
            state.withLock { $0.pending.removeAll() }
        }

        /// Notes that a thread found no more work; true for the last one.
        func threadEnded() -> Bool {
            state.withLock { state in
                state.threads -= 1
                return state.threads == 0
            }
        }
    }
}
