/// Turns the payload of one event type from one schema version into the next.
public struct Upcaster: Sendable {
    public var type: String
    public var fromVersion: UInt16
    public var transform: @Sendable ([UInt8]) throws -> [UInt8]

    public init(type: String, fromVersion: UInt16, transform: @escaping @Sendable ([UInt8]) throws -> [UInt8]) {
        self.type = type
        self.fromVersion = fromVersion
        self.transform = transform
    }
}

/// The upcasters of every event type, applied on read: an entry stored at version 1 of a type whose current
/// version is 3 passes through 1→2 and 2→3. Stored entries are never rewritten, so the hash chain still holds.
public struct UpcasterChain: Sendable {
    private struct Step: Hashable {
        var type: String
        var fromVersion: UInt16
    }

    private let steps: [Step: Upcaster]
    /// The types that have upcasters: a handful, so a replay checks each entry's type against a short list
    /// rather than hashing it.
    private let types: [String]

    public init(_ upcasters: [Upcaster] = []) {
        var steps = [Step: Upcaster]()
        for upcaster in upcasters {
            let step = Step(type: upcaster.type, fromVersion: upcaster.fromVersion)
            precondition(steps[step] == nil, "two upcasters for \(upcaster.type) v\(upcaster.fromVersion)")
            steps[step] = upcaster
        }
        self.steps = steps
        self.types = Array(Set(upcasters.map(\.type)))
    }

    /// Whether a payload of `type` stored at `version` is upcast on read.
    public func upcasts(_ type: String, from version: UInt16) -> Bool {
        types.contains(type) && steps[Step(type: type, fromVersion: version)] != nil
    }

    /// The schema versions of `type` that are upcast on read (from each, a step to the next).
    public func versions(upcasting type: String) -> [UInt16] {
        steps.keys.filter { $0.type == type }.map(\.fromVersion).sorted()
    }

    /// The entry with its payload brought to the newest schema version this chain knows.
    public func upcast(_ entry: LogEntry) throws -> LogEntry {
        guard types.contains(entry.type) else { return entry }
        var entry = entry
        try upcast(entry.type, &entry.schemaVersion, &entry.payload)
        return entry
    }

    /// The record with its payload brought to the newest schema version this chain knows.
    public func upcast(_ record: consuming EventRecord) throws -> EventRecord {
        guard types.contains(record.type) else { return record }
        var record = record
        try upcast(record.type, &record.schemaVersion, &record.payload)
        return record
    }

    private func upcast(_ type: String, _ version: inout UInt16, _ payload: inout [UInt8]) throws {
        while let upcaster = steps[Step(type: type, fromVersion: version)] {
            payload = try upcaster.transform(payload)
            version += 1
        }
    }
}
