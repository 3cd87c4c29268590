/// A recorded event boxed once, to lend to many readers by reference: taking a `RecordedEvent` out of an array
/// copies it, retaining every string and array inside. A rebuild's pass decodes each event into one and lends it
/// to every model.
public final class SharedEvent: Sendable {
    public let recorded: RecordedEvent

    public init(_ recorded: consuming RecordedEvent) {
        self.recorded = recorded
    }
}

extension EventLog {
    /// Up to `limit` domain events from `position` on, in log order, each decoded (upcast first) into a box of its
    /// own. (The generic `eventRecords`, called from another module with a type of its own, ran unspecialized:
    /// its array's type was looked up at run time for every event.)
    public func sharedEvents(from position: UInt64, limit: Int) throws -> [SharedEvent] {
        var decoders = EventCodec.DecoderCache()
        return try eventRecords(from: position, limit: limit) {
            SharedEvent(try CommandProcessor.recorded(from: $0, decoders: &decoders))
        }
    }
}
