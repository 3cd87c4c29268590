import Dispatch
import Synchronization

/// The stream and tag postings of the entries after the last index run, held in memory.
///
/// It is derived from the entries alone (loaded from them at open), so it is never written: the entries it
/// covers are already durable. The writer changes it only after a commit; readers compare its bounds with
/// their own snapshot and read the entries themselves where the two differ.
final class IndexTail: Sendable {
    /// A copy of what the tail holds for one name, with the bounds it was taken at.
    struct View {
        /// The last position the runs covered when the tail began.
        var base: UInt64
        /// The last position the tail holds.
        var through: UInt64
        /// The name's postings after `base`, in log order.
        var postings: [IndexPosting]
    }

    /// Kept so that nothing the writer does to it moves everything at once: the entries as the commits added
    /// them (a run's preparation shares them, and one array would be copied whole by the next append), the
    /// postings sharded (one dictionary rehashed 16,000 names when it grew).
    private struct Contents {
        var base: UInt64 = 0
        var through: UInt64 = 0
        var batches: [[IndexedEntry]] = []
        var count = 0
        var postings = ShardedDictionary<IndexName, [IndexPosting]>()

        /// The entries after `position`, in log order: found from the newest batch back, as they are usually few.
        func entries(after position: UInt64) -> [IndexedEntry] {
            let newer = batches.reversed().prefix { $0.last!.position > position }
            return newer.reversed().joined().filter { $0.position > position }
        }
    }

    private struct State {
        var current = Contents()
        /// What `current` becomes once the run under way is cut: the entries after the run's last position,
        /// gathered as they come. Rebuilt at the cut instead, they took the writer 6–8 ms once per run under
        /// load, every waiting command with it.
        var afterCut: Contents?
    }

    private let state = Mutex(State())

    /// What the tail holds for `name`.
    func view(of name: IndexName) -> View {
        state.withLock { View(base: $0.current.base, through: $0.current.through, postings: $0.current.postings[name] ?? []) }
    }

    /// The bounds of the tail: the runs' last position it continues, and its own last.
    var bounds: (base: UInt64, through: UInt64) {
        state.withLock { ($0.current.base, $0.current.through) }
    }

    /// How many entries the tail holds.
    var count: Int { state.withLock { $0.current.count } }

    /// The entries the tail holds, in log order.
    var entries: [IndexedEntry] { batches.flatMap { $0 } }

    /// The entries the tail holds, in log order, in the batches they came in.
    var batches: [[IndexedEntry]] { state.withLock { $0.current.batches } }

    /// Holds `entries` (the ones after `base`, through `through`) and nothing else.
    func reset(base: UInt64, through: UInt64, entries: [IndexedEntry]) {
        state.withLock { state in
            state = State(current: Contents(base: base, through: base), afterCut: nil)
            Self.add(entries, through: through, to: &state.current)
        }
    }

    /// Starts gathering what the tail will hold once a run through `last` is cut from it.
    func prepareCut(through last: UInt64) {
        state.withLock { state in
            var afterCut = Contents(base: last, through: last)
            Self.add(state.current.entries(after: last), through: max(state.current.through, last), to: &afterCut)
            state.afterCut = afterCut
        }
    }

    /// Drops the entries up to `through`, which a run now indexes: a swap when that cut was prepared. The old
    /// postings are freed on another thread: there are tens of thousands of arrays, and this runs on the writer's.
    func cut(through: UInt64) {
        let old = state.withLock { state in
            var cut: Contents
            if let prepared = state.afterCut, prepared.base == through {
                cut = prepared
            } else {
                cut = Contents(base: through, through: through)
                Self.add(state.current.entries(after: through), through: max(state.current.through, through), to: &cut)
            }
            swap(&state.current, &cut)
            state.afterCut = nil
            return cut
        }
        DispatchQueue.global(qos: .background).async { _ = old }
    }

    /// Adds the entries of a commit, which end at `through`.
    func append(_ entries: [IndexedEntry], through: UInt64) {
        state.withLock { state in
            Self.add(entries, through: through, to: &state.current)
            if state.afterCut != nil { Self.add(entries, through: through, to: &state.afterCut!) }
        }
    }

    private static func add(_ entries: [IndexedEntry], through: UInt64, to contents: inout Contents) {
        for entry in entries {
            entry.forEachPosting { name, posting in contents.postings[name, default: []].append(posting) }
        }
        if !entries.isEmpty { contents.batches.append(entries) }
        contents.count += entries.count
        contents.through = through
    }
}
