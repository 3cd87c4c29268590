import Testing
import TestSupport

@testable import Events

@Suite("Type names made once per read")
struct TypeNamesTests {
    @Test("each name reads back as its own bytes, the same bytes as the same name, past the names kept too")
    func namesMatchTheirBytes() {
        var random = SplitMix64(seed: 5)
        // More distinct names than are kept, of lengths that collide (and a prefix of another, and the empty one).
        let distinct = ["", "A", "AB", "BA", "ApplicationSubmitted", "ApplicationSubmitte", "申请"]
            + (0..<TypeNames.capacity + 20).map { "Type\($0)" }
        var names = TypeNames()
        for _ in 0..<5_000 {
            let text = distinct[Int(random.next() % UInt64(distinct.count))]
            let bytes = Array(text.utf8)
            let name = bytes.withUnsafeBytes { names.name($0) }
            #expect(name == text)
        }
    }
}
