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

    private struct Contents {
        var base: UInt64 = 0
        var through: UInt64 = 0
        var entries: [IndexedEntry] = []
        var postings: [IndexName: [IndexPosting]] = [:]
    }

    private let contents = Mutex(Contents())

    /// What the tail holds for `name`.
    func view(of name: IndexName) -> View {
        contents.withLock { View(base: $0.base, through: $0.through, postings: $0.postings[name] ?? []) }
    }

    /// The bounds of the tail: the runs' last position it continues, and its own last.
    var bounds: (base: UInt64, through: UInt64) {
        contents.withLock { ($0.base, $0.through) }
    }

    /// How many entries the tail holds.
    var count: Int { contents.withLock { $0.entries.count } }

    /// The entries the tail holds, in log order.
    var entries: [IndexedEntry] { contents.withLock { $0.entries } }

    /// Holds `entries` (the ones after `base`, through `through`) and nothing else.
    func reset(base: UInt64, through: UInt64, entries: [IndexedEntry]) {
        contents.withLock { contents in
            contents = Contents(base: base, through: base, entries: [], postings: [:])
            Self.add(entries, through: through, to: &contents)
        }
    }

    /// Drops the entries up to `through`, which a run now indexes. The old postings are freed on another
    /// thread: there are tens of thousands of arrays, and this runs on the writer's.
    func cut(through: UInt64) {
        let old = contents.withLock { contents in
            let kept = contents.entries.filter { $0.position > through }
            var cut = Contents(base: through, through: through, entries: [], postings: [:])
            // Room for as much as the tail held: it grows back to that before the next cut, without regrowing.
            cut.entries.reserveCapacity(contents.entries.count)
            cut.postings.reserveCapacity(contents.postings.count)
            Self.add(kept, through: max(contents.through, through), to: &cut)
            swap(&contents, &cut)
            return cut
        }
        DispatchQueue.global(qos: .background).async { _ = old }
    }

    /// Adds the entries of a commit, which end at `through`.
    func append(_ entries: [IndexedEntry], through: UInt64) {
        contents.withLock { Self.add(entries, through: through, to: &$0) }
    }

    private static func add(_ entries: [IndexedEntry], through: UInt64, to contents: inout Contents) {
        for entry in entries {
            entry.forEachPosting { name, posting in contents.postings[name, default: []].append(posting) }
        }
        contents.entries.append(contentsOf: entries)
        contents.through = through
    }
}
