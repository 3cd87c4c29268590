import Foundation

/// What replaying an entry's event needs of it — its type, schema version, time, actor, position and payload —
/// read without the stream, command id, tags and hash, which cost an allocation each and which a replay does
/// not look at (`EventLog.eventRecords`).
public struct EventRecord: Sendable, Equatable {
    public var position: UInt64
    public var type: String
    public var schemaVersion: UInt16
    public var recordedAt: Date
    public var actor: String
    public var payload: [UInt8]

    public init(_ entry: LogEntry) {
        self.init(
            position: entry.position, type: entry.type, schemaVersion: entry.schemaVersion, recordedAt: entry.recordedAt,
            actor: entry.actor, payload: entry.payload)
    }

    init(position: UInt64, type: String, schemaVersion: UInt16, recordedAt: Date, actor: String, payload: [UInt8]) {
        self.position = position
        self.type = type
        self.schemaVersion = schemaVersion
        self.recordedAt = recordedAt
        self.actor = actor
        self.payload = payload
    }
}

/// An `EventRecord` with its payload where the log keeps it, lent to the caller of a replay's read
/// (`EventLog.eventRecords(from:limit:_:)`) for the one call: decoding the payload from there spares a copy of
/// every payload read.
public struct EventRecordView {
    public var position: UInt64
    public var type: String
    /// The type's place among the types its read met, the same for every entry of the type in that read (nil
    /// when the read did not keep it): what a replay finds of a type by name once, it finds again by this
    /// (`EventCodec.DecoderCache`).
    public var typeIndex: Int?
    public var schemaVersion: UInt16
    public var recordedAt: Date
    public var actor: String
    /// Valid only during the call that lends the view.
    public var payload: UnsafeRawBufferPointer

    /// The record, its payload copied out.
    public var record: EventRecord {
        EventRecord(
            position: position, type: type, schemaVersion: schemaVersion, recordedAt: recordedAt, actor: actor,
            payload: [UInt8](payload))
    }

    /// Calls `body` with a view of `record`, its payload lent from the record's array; `typeIndex` is its type's
    /// place among the types of the read it came from, if it has one.
    static func with<R>(_ record: EventRecord, typeIndex: Int? = nil, _ body: (EventRecordView) throws -> R) rethrows -> R {
        try record.payload.withUnsafeBytes { payload in
            try body(
                EventRecordView(
                    position: record.position, type: record.type, typeIndex: typeIndex,
                    schemaVersion: record.schemaVersion, recordedAt: record.recordedAt, actor: record.actor,
                    payload: payload))
        }
    }
}
