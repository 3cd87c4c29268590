import Foundation

/// What replaying an entry's event needs of it — its type, schema version, time, actor, position and payload —
/// read without the stream, command id, tags and hash, which cost an allocation each and which a replay does
/// not look at (`EventLog.forEachEventRecord`).
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
