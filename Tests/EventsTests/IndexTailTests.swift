import Testing
import TestSupport

@testable import Events

/// The index's in-memory tail: a cut prepared while the run is written leaves what a cut rebuilt at once would.
@Suite struct IndexTailTests {
    /// Entries `positions`, on a few streams and tags, so that names repeat across the cut.
    static func entries(_ positions: ClosedRange<UInt64>, _ random: inout SplitMix64) -> [IndexedEntry] {
        positions.map { position in
            IndexedEntry(
                position: position, stream: "application:A\(random.next() % 40)", streamVersion: position,
                tags: (0..<random.next() % 4).map { _ in "seal:S\(random.next() % 9)" })
        }
    }

    /// Everything a reader can see of `tail`, for the names of `entries`.
    static func seen(_ tail: IndexTail, names entries: [IndexedEntry]) -> [String] {
        var names = Set<IndexName>()
        for entry in entries { entry.forEachPosting { name, _ in names.insert(name) } }
        let bounds = tail.bounds
        return ["bounds \(bounds.base) \(bounds.through)", "entries \(tail.entries.map(\.position))"]
            + names.map { name in "\(name) \(tail.view(of: name).postings.map { "\($0.number)@\($0.position)" })" }.sorted()
    }

    @Test("a prepared cut, a cut prepared for another run, and no prepared cut leave the same tail as a fresh one")
    func preparedCutEqualsRebuiltCut() {
        for seed in UInt64(1)...20 {
            var random = SplitMix64(seed: seed)
            let first = Self.entries(1...300, &random)
            var later = [[IndexedEntry]]()
            for start in stride(from: UInt64(301), to: 501, by: 20) { later.append(Self.entries(start...start + 19, &random)) }
            let all: [IndexedEntry] = first + later.flatMap { $0 }
            let prepared = IndexTail(), elsewhere = IndexTail(), unprepared = IndexTail()
            for tail in [prepared, elsewhere, unprepared] { tail.reset(base: 0, through: 300, entries: first) }
            prepared.prepareCut(through: 300)
            elsewhere.prepareCut(through: 250)
            for batch in later {
                for tail in [prepared, elsewhere, unprepared] { tail.append(batch, through: batch.last!.position) }
            }
            for tail in [prepared, elsewhere, unprepared] { tail.cut(through: 300) }
            let fresh = IndexTail()
            fresh.reset(base: 300, through: 500, entries: later.flatMap { $0 })
            let expected = Self.seen(fresh, names: all)
            #expect(Self.seen(prepared, names: all) == expected, "seed \(seed)")
            #expect(Self.seen(elsewhere, names: all) == expected, "seed \(seed)")
            #expect(Self.seen(unprepared, names: all) == expected, "seed \(seed)")
            // The tail keeps working after the swap: the next batch lands in the tail readers see.
            let next = Self.entries(501...510, &random)
            prepared.append(next, through: 510)
            fresh.append(next, through: 510)
            #expect(Self.seen(prepared, names: all + next) == Self.seen(fresh, names: all + next), "seed \(seed)")
        }
    }
}
