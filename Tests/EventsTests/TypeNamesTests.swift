import Testing
import TestSupport

@testable import Events

@Suite("Type names made once per read")
struct TypeNamesTests {
    @Test("each name reads back as its own bytes with a place of its own, past the names kept too")
    func namesMatchTheirBytes() {
        var random = SplitMix64(seed: 5)
        // More distinct names than are kept, of lengths that collide (and a prefix of another, and the empty one).
        let distinct = ["", "A", "AB", "BA", "ApplicationSubmitted", "ApplicationSubmitte", "申请"]
            + (0..<TypeNames.capacity + 20).map { "Type\($0)" }
        var names = TypeNames(upcasters: UpcasterChain())
        var places = [String: Int]()
        var unkept = Set<String>()
        for _ in 0..<5_000 {
            let text = distinct[Int(random.next() % UInt64(distinct.count))]
            let bytes = Array(text.utf8)
            let type = bytes.withUnsafeBytes { names.type($0) }
            #expect(type.name == text)
            if let index = type.index {
                #expect(places[text, default: index] == index, "\(text) moved")
                places[text] = index
            } else {
                unkept.insert(text)
            }
        }
        #expect(Set(places.values).count == places.count, "two names share a place")
        #expect(places.count == TypeNames.capacity)
        #expect(unkept.isDisjoint(with: places.keys))
    }

    @Test("a type kept says it is upcast from a version exactly when the chain does")
    func upcastsAsTheChain() {
        let identity: @Sendable ([UInt8]) throws -> [UInt8] = { $0 }
        let chain = UpcasterChain([
            Upcaster(type: "A", fromVersion: 1, transform: identity), Upcaster(type: "A", fromVersion: 2, transform: identity),
            Upcaster(type: "B", fromVersion: 1, transform: identity),
        ])
        var names = TypeNames(upcasters: chain)
        for name in ["A", "B", "C", "AB"] {
            let type = Array(name.utf8).withUnsafeBytes { names.type($0) }
            for version: UInt16 in 0...4 {
                #expect(
                    names.upcasts(name, at: type.index, from: version) == chain.upcasts(name, from: version),
                    "\(name) v\(version)")
                #expect(names.upcasts(name, at: nil, from: version) == chain.upcasts(name, from: version))
            }
        }
        #expect(chain.versions(upcasting: "A") == [1, 2])
        #expect(chain.versions(upcasting: "C").isEmpty)
    }
}
