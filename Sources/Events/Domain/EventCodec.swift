import Foundation

/// How domain events are stored in the log: a type name (the case name, capitalised), a schema version, and
/// the payload in seal-hall's binary format (`BinaryFormat.swift`).
///
/// Binary, because the log is replayed far more often than written: Foundation's JSON decodes about 80,000
/// payloads a second on one core here, too slow to rebuild read models from a large log. The format keeps
/// field names, so payloads can gain fields and upcasters can work on them. Exports and the operator's view
/// show payloads as JSON (`jsonPayload`), and a payload that is JSON (its first byte is `{`: an exported or
/// imported entry) is read as JSON. When a payload changes shape, its type's version goes up in
/// `schemaVersions` and an `Upcaster` from the old version joins `upcasters` (`EventUpcasters.swift`).
public enum EventCodec {
    /// The current schema version of the types that changed since version 1.
    static let schemaVersions: [String: UInt16] = ["SealAffixed": 2, "ApplicationCompleted": 2]

    /// The schema version new events of `type` are written with.
    public static func schemaVersion(of type: String) -> UInt16 {
        schemaVersions[type] ?? 1
    }

    /// The transforms that bring older stored payloads to the current schema.
    public static let upcasters = UpcasterChain(EventUpcasters.all)

    /// The type names of every event, for documentation and checks.
    public static var typeNames: [String] { decoders.keys.sorted() }

    public static func typeName(of event: DomainEvent) -> String {
        payload(of: event).type
    }

    public static func encode(_ event: DomainEvent) throws -> (type: String, payload: [UInt8]) {
        let (type, payload) = payload(of: event)
        return (type, try BinaryEncoder().encode(payload))
    }

    /// The entry to append for `event`: its stream, type name, current schema version and binary payload.
    public static func newEvent(_ event: DomainEvent, tags: [String] = []) throws -> NewEvent {
        try entry(for: event, tags: tags).new
    }

    /// The entry to append for `event`, and the event as its payload reads back from the log: `event` itself,
    /// unless a time in it had more precision than the log's microseconds — then the payload is decoded, so that
    /// what the writer goes on with equals what a replay gives.
    public static func newEvent(storing event: DomainEvent, tags: [String]) throws -> (new: NewEvent, stored: DomainEvent) {
        let (new, roundedTimes) = try entry(for: event, tags: tags)
        return (new, roundedTimes ? try decode(type: new.type, payload: new.payload) : event)
    }

    /// The entry for `event`, and whether a time in it was rounded to microseconds on the way.
    private static func entry(for event: DomainEvent, tags: [String]) throws -> (new: NewEvent, roundedTimes: Bool) {
        let (type, payload) = payload(of: event)
        let writer = try BinaryEncoder().written(payload)
        let new = NewEvent(
            stream: event.stream, type: type, schemaVersion: schemaVersion(of: type), tags: tags, payload: writer.bytes)
        return (new, writer.roundedTimes)
    }

    /// Decodes a stored (binary) or exported (JSON) payload of event type `type`.
    public static func decode(type: String, payload: [UInt8]) throws -> DomainEvent {
        try payload.withUnsafeBytes { try decode(type: type, payload: $0) }
    }

    /// Decodes a payload of event type `type` from bytes lent for the call.
    public static func decode(type: String, payload: UnsafeRawBufferPointer) throws -> DomainEvent {
        try decoder(of: type)(PayloadBytes(bytes: payload))
    }

    /// What decodes a payload of event type `type`.
    typealias Decoder = @Sendable (PayloadBytes) throws -> DomainEvent

    /// The decoder of event type `type`.
    static func decoder(of type: String) throws -> Decoder {
        guard let decoder = decoders[type] else { throw EventCodecError.unknownType(type) }
        return decoder
    }

    /// The payload of a domain event's entry as a JSON object, for exports and the operator's view; nil for an
    /// entry that is not a domain event.
    public static func jsonPayload(of entry: LogEntry) -> Any? {
        guard let event = try? decode(type: entry.type, payload: entry.payload),
            let json = try? jsonEncoder.encode(payload(of: event).payload)
        else { return nil }
        return try? JSONSerialization.jsonObject(with: json)
    }

    private static func payload(of event: DomainEvent) -> (type: String, payload: any Encodable) {
        switch event {
        case .departmentCreated(let payload): ("DepartmentCreated", payload)
        case .accountRegistered(let payload): ("AccountRegistered", payload)
        case .accountActivated(let payload): ("AccountActivated", payload)
        case .passwordChanged(let payload): ("PasswordChanged", payload)
        case .roleGranted(let payload): ("RoleGranted", payload)
        case .roleRevoked(let payload): ("RoleRevoked", payload)
        case .itemPublished(let payload): ("ItemPublished", payload)
        case .itemEdited(let payload): ("ItemEdited", payload)
        case .itemOnlineChanged(let payload): ("ItemOnlineChanged", payload)
        case .itemWithdrawn(let payload): ("ItemWithdrawn", payload)
        case .itemVisited(let payload): ("ItemVisited", payload)
        case .applicationSubmitted(let payload): ("ApplicationSubmitted", payload)
        case .applicationResubmitted(let payload): ("ApplicationResubmitted", payload)
        case .stepApproved(let payload): ("StepApproved", payload)
        case .stepRejected(let payload): ("StepRejected", payload)
        case .stepReturned(let payload): ("StepReturned", payload)
        case .applicationApproved(let payload): ("ApplicationApproved", payload)
        case .applicationWithdrawn(let payload): ("ApplicationWithdrawn", payload)
        case .applicationCancelled(let payload): ("ApplicationCancelled", payload)
        case .applicationCompleted(let payload): ("ApplicationCompleted", payload)
        case .fulfilmentRefused(let payload): ("FulfilmentRefused", payload)
        case .sealAffixed(let payload): ("SealAffixed", payload)
        case .sealCheckedOut(let payload): ("SealCheckedOut", payload)
        case .sealCheckedIn(let payload): ("SealCheckedIn", payload)
        case .sealRegistered(let payload): ("SealRegistered", payload)
        case .sealFiled(let payload): ("SealFiled", payload)
        case .sealMade(let payload): ("SealMade", payload)
        case .sealActivated(let payload): ("SealActivated", payload)
        case .sealSuspended(let payload): ("SealSuspended", payload)
        case .sealHandedIn(let payload): ("SealHandedIn", payload)
        case .sealSealedUp(let payload): ("SealSealedUp", payload)
        case .sealDestroyed(let payload): ("SealDestroyed", payload)
        case .sealReportedLost(let payload): ("SealReportedLost", payload)
        case .sealCustodianChanged(let payload): ("SealCustodianChanged", payload)
        case .lostSealAbolished(let payload): ("LostSealAbolished", payload)
        case .letterIssued(let payload): ("LetterIssued", payload)
        case .letterReturnedUnused(let payload): ("LetterReturnedUnused", payload)
        case .letterVoided(let payload): ("LetterVoided", payload)
        case .letterReportedLost(let payload): ("LetterReportedLost", payload)
        case .certificateCopiesProvided(let payload): ("CertificateCopiesProvided", payload)
        case .certificateLent(let payload): ("CertificateLent", payload)
        case .certificateReturned(let payload): ("CertificateReturned", payload)
        }
    }

    private static let decoders: [String: Decoder] = [
        "DepartmentCreated": { .departmentCreated(try $0.decode(DepartmentCreated.self)) },
        "AccountRegistered": { .accountRegistered(try $0.decode(AccountRegistered.self)) },
        "AccountActivated": { .accountActivated(try $0.decode(AccountRef.self)) },
        "PasswordChanged": { .passwordChanged(try $0.decode(AccountRef.self)) },
        "RoleGranted": { .roleGranted(try $0.decode(RoleChanged.self)) },
        "RoleRevoked": { .roleRevoked(try $0.decode(RoleChanged.self)) },
        "ItemPublished": { .itemPublished(try $0.decode(ItemPublished.self)) },
        "ItemEdited": { .itemEdited(try $0.decode(ItemEdited.self)) },
        "ItemOnlineChanged": { .itemOnlineChanged(try $0.decode(ItemOnlineChanged.self)) },
        "ItemWithdrawn": { .itemWithdrawn(try $0.decode(ItemRef.self)) },
        "ItemVisited": { .itemVisited(try $0.decode(ItemRef.self)) },
        "ApplicationSubmitted": { .applicationSubmitted(try $0.decode(ApplicationSubmitted.self)) },
        "ApplicationResubmitted": { .applicationResubmitted(try $0.decode(ApplicationSubmitted.self)) },
        "StepApproved": { .stepApproved(try $0.decode(StepDecided.self)) },
        "StepRejected": { .stepRejected(try $0.decode(StepDecided.self)) },
        "StepReturned": { .stepReturned(try $0.decode(StepDecided.self)) },
        "ApplicationApproved": { .applicationApproved(try $0.decode(ApplicationRef.self)) },
        "ApplicationWithdrawn": { .applicationWithdrawn(try $0.decode(ApplicationAction.self)) },
        "ApplicationCancelled": { .applicationCancelled(try $0.decode(ApplicationAction.self)) },
        "ApplicationCompleted": { .applicationCompleted(try $0.decode(ApplicationRef.self)) },
        "FulfilmentRefused": { .fulfilmentRefused(try $0.decode(FulfilmentRefused.self)) },
        "SealAffixed": { .sealAffixed(try $0.decode(SealAffixed.self)) },
        "SealCheckedOut": { .sealCheckedOut(try $0.decode(SealMovement.self)) },
        "SealCheckedIn": { .sealCheckedIn(try $0.decode(SealMovement.self)) },
        "SealRegistered": { .sealRegistered(try $0.decode(SealRegistered.self)) },
        "SealFiled": { .sealFiled(try $0.decode(SealFiled.self)) },
        "SealMade": { .sealMade(try $0.decode(SealMade.self)) },
        "SealActivated": { .sealActivated(try $0.decode(SealActivated.self)) },
        "SealSuspended": { .sealSuspended(try $0.decode(SealSuspended.self)) },
        "SealHandedIn": { .sealHandedIn(try $0.decode(SealHandedIn.self)) },
        "SealSealedUp": { .sealSealedUp(try $0.decode(SealSealedUp.self)) },
        "SealDestroyed": { .sealDestroyed(try $0.decode(SealDestroyed.self)) },
        "SealReportedLost": { .sealReportedLost(try $0.decode(SealReportedLost.self)) },
        "SealCustodianChanged": { .sealCustodianChanged(try $0.decode(SealCustodianChanged.self)) },
        "LostSealAbolished": { .lostSealAbolished(try $0.decode(LostSealAbolished.self)) },
        "LetterIssued": { .letterIssued(try $0.decode(LetterIssued.self)) },
        "LetterReturnedUnused": { .letterReturnedUnused(try $0.decode(LetterChanged.self)) },
        "LetterVoided": { .letterVoided(try $0.decode(LetterChanged.self)) },
        "LetterReportedLost": { .letterReportedLost(try $0.decode(LetterChanged.self)) },
        "CertificateCopiesProvided": { .certificateCopiesProvided(try $0.decode(CertificateCopiesProvided.self)) },
        "CertificateLent": { .certificateLent(try $0.decode(CertificateLent.self)) },
        "CertificateReturned": { .certificateReturned(try $0.decode(CertificateReturned.self)) },
    ]

    /// Payload bytes in either form, decoded by their first byte; lent for the decoding.
    struct PayloadBytes {
        let bytes: UnsafeRawBufferPointer

        /// The value of `type` that the payload `payload` holds, in either form.
        static func decode<T: Decodable>(_ type: T.Type, from payload: [UInt8]) throws -> T {
            try payload.withUnsafeBytes { try PayloadBytes(bytes: $0).decode(type) }
        }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            if bytes.first == UInt8(ascii: "{") {
                return try jsonDecoder.decode(type, from: Data(bytes))
            }
            return try BinaryDecoder().decode(type, from: bytes)
        }
    }

    private static var jsonEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.string(from: date))
        }
        return encoder
    }

    static var jsonDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = RFC3339.date(from: text) ?? (try? Date.ISO8601FormatStyle().parse(text)) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: decoder.codingPath, debugDescription: "not an RFC 3339 time: \(text)"))
            }
            return date
        }
        return decoder
    }
}

/// Why a stored event could not be read as a domain event.
public enum EventCodecError: Error, Equatable {
    case unknownType(String)
}
