import Foundation

/// One committed entry of the event log: an immutable event with where, when and by whom it was recorded.
public struct LogEntry: Sendable, Equatable {
    /// The global position: 1, 2, 3 … without gaps.
    public var position: UInt64
    /// The stream (aggregate) the event belongs to, e.g. `application:A-2026-0001`.
    public var stream: String
    /// The event's version within its stream: 1 for the stream's first event.
    public var streamVersion: UInt64
    /// The event type's name, e.g. `SealAffixed`.
    public var type: String
    /// The schema version of `payload` (after upcasting, the current one).
    public var schemaVersion: UInt16
    /// When the writer committed the entry, in UTC, to the microsecond; never earlier than the entry before.
    public var recordedAt: Date
    /// Who caused the event (an account id, or `system`).
    public var actor: String
    /// The command that produced the event.
    public var commandId: String
    /// Every subject the event concerns (`seal:…`, `application:…`, `account:…`, `letter:…`).
    public var tags: [String]
    /// The event's data, encoded by the event's own schema.
    public var payload: [UInt8]
    /// The chain hash over the previous entry's hash and this entry's stored record.
    public var hash: ChainHash

    public init(
        position: UInt64, stream: String, streamVersion: UInt64, type: String, schemaVersion: UInt16,
        recordedAt: Date, actor: String, commandId: String, tags: [String], payload: [UInt8], hash: ChainHash
    ) {
        self.position = position
        self.stream = stream
        self.streamVersion = streamVersion
        self.type = type
        self.schemaVersion = schemaVersion
        self.recordedAt = recordedAt
        self.actor = actor
        self.commandId = commandId
        self.tags = tags
        self.payload = payload
        self.hash = hash
    }
}

/// Microseconds since 1970-01-01T00:00:00Z: how the log stores time.
enum Microseconds {
    static func from(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    static func date(_ microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }
}
