import Foundation
import Testing

@testable import Events
@testable import Projections

@Suite("Events handed over to the read models")
struct HandedOverEventsTests {
    static func event(at position: UInt64) -> RecordedEvent {
        RecordedEvent(
            event: .accountActivated(AccountRef(account: "2001\(position)")), actor: "admin",
            recordedAt: Date(timeIntervalSince1970: 1_800_000_000), position: position)
    }

    static func events(_ positions: [UInt64]) -> [RecordedEvent] {
        positions.map(event(at:))
    }

    @Test("a round takes the run without a gap from where the read models stand, no more than asked")
    func runWithoutGap() {
        let handed = HandedOverEvents()
        handed.add(Self.events([5, 6, 7, 9]))
        #expect(handed.take(from: 5, limit: 2) == Self.events([5, 6]))
        #expect(handed.take(from: 7, limit: 10) == Self.events([7]), "stops before the gap at 8")
        #expect(handed.take(from: 8, limit: 10).isEmpty, "8 was never handed over: the log has to be read")
        #expect(handed.take(from: 9, limit: 10) == Self.events([9]))
    }

    @Test("events the read models have passed are dropped, whether taken or not")
    func passedEventsDropped() {
        let handed = HandedOverEvents()
        handed.add(Self.events([3, 4, 6, 7]))
        #expect(handed.take(from: 6, limit: 1) == Self.events([6]))
        #expect(handed.take(from: 3, limit: 10).isEmpty, "3 and 4 went with the take from 6")
        handed.add(Self.events([8, 9, 10]))
        handed.drop(through: 9)
        #expect(handed.take(from: 7, limit: 10).isEmpty, "7 to 9 were dropped")
        #expect(handed.take(from: 10, limit: 10) == Self.events([10]))
    }
}
