import Events
import Synchronization

/// Events that commands hand to the read models once the log has committed them, as the decider recorded them,
/// so that a round of the read models' writer applies them without reading and decoding them back from the log.
///
/// Only committed events are handed over (a command hands over its own after its commit is durable), and a
/// position once committed never changes, so an event taken from here is the log's, decoded. A round takes the
/// run that starts where the read models stand; when that run is missing — a command that has not handed its
/// events over yet, events a tool appended without read models — the round reads the log instead.
final class HandedOverEvents: Sendable {
    private let events = Mutex<[UInt64: RecordedEvent]>([:])

    /// Keeps `handed` until a round takes them or passes them.
    func add(_ handed: [RecordedEvent]) {
        guard !handed.isEmpty else { return }
        events.withLock { events in
            for event in handed { events[event.position] = event }
        }
    }

    /// The events from `position` on, in order and without a gap, `limit` at most; drops them and every event
    /// before `position`, which the read models have passed.
    func take(from position: UInt64, limit: Int) -> [RecordedEvent] {
        events.withLock { events in
            var run = [RecordedEvent]()
            while run.count < limit, let event = events.removeValue(forKey: position + UInt64(run.count)) {
                run.append(event)
            }
            if events.keys.contains(where: { $0 < position }) {
                events = events.filter { $0.key >= position }
            }
            return run
        }
    }

    /// Drops every event through `position`, which the read models reflect already.
    func drop(through position: UInt64) {
        events.withLock { events in
            if events.keys.contains(where: { $0 <= position }) {
                events = events.filter { $0.key > position }
            }
        }
    }
}
