/// An event to append: what the caller decides; position, stream version, time and hash come from the writer.
public struct NewEvent: Sendable, Equatable {
    public var stream: String
    public var type: String
    public var schemaVersion: UInt16
    public var tags: [String]
    public var payload: [UInt8]

    public init(stream: String, type: String, schemaVersion: UInt16 = 1, tags: [String] = [], payload: [UInt8]) {
        self.stream = stream
        self.type = type
        self.schemaVersion = schemaVersion
        self.tags = tags
        self.payload = payload
    }
}

/// What a stream's version must be for an append to go ahead.
public enum ExpectedVersion: Sendable, Equatable, CustomStringConvertible {
    /// Whatever it is.
    case any
    /// The stream has no events yet.
    case noStream
    /// The stream's newest event has exactly this version.
    case exactly(UInt64)

    func admits(_ actual: UInt64) -> Bool {
        switch self {
        case .any: true
        case .noStream: actual == 0
        case .exactly(let version): actual == version
        }
    }

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "no stream"
        case .exactly(let version): "\(version)"
        }
    }
}

/// One command's events, appended together or not at all.
public struct AppendRequest: Sendable, Equatable {
    public var events: [NewEvent]
    /// Conditions on the streams' versions before the append; streams not named here are not checked.
    public var expectations: [String: ExpectedVersion]
    public var actor: String
    public var commandId: String
    /// Repeating an append with the same key returns the first append's positions and appends nothing.
    public var idempotencyKey: String?
    /// What makes a retry "the same request": by default a hash of the events and expectations; a caller whose
    /// events depend on state (a command decided anew) passes a hash of the command instead.
    public var fingerprint: [UInt8]?

    public init(
        events: [NewEvent], expectations: [String: ExpectedVersion] = [:], actor: String, commandId: String,
        idempotencyKey: String? = nil, fingerprint: [UInt8]? = nil
    ) {
        self.events = events
        self.expectations = expectations
        self.actor = actor
        self.commandId = commandId
        self.idempotencyKey = idempotencyKey
        self.fingerprint = fingerprint
    }
}

/// Where an append's events landed.
public struct AppendResult: Sendable, Equatable {
    /// The positions of the appended events, in order.
    public var positions: ClosedRange<UInt64>
    /// True when the idempotency key had been used for this very request before, so nothing was appended now.
    public var isDuplicate: Bool
}
