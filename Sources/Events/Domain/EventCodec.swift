import Foundation

/// How domain events are stored in the log: a type name (the case name, capitalised), a schema version, and
/// the payload as JSON (RFC 3339 times with milliseconds, keys sorted).
///
/// JSON keeps every stored event readable by auditors and tools without this code, and upcasters work on it as
/// plain JSON. Every event type is at schema version 1; when a payload changes shape, its version goes up and
/// an `Upcaster` from the old version joins `upcasters`.
public enum EventCodec {
    public static let schemaVersion: UInt16 = 1

    /// The transforms that bring older stored payloads to the current schema (none yet).
    public static let upcasters = UpcasterChain()

    /// The type names of every event, for documentation and checks.
    public static var typeNames: [String] { decoders.keys.sorted() }

    public static func typeName(of event: DomainEvent) -> String {
        payload(of: event).type
    }

    public static func encode(_ event: DomainEvent) throws -> (type: String, payload: [UInt8]) {
        let (type, payload) = payload(of: event)
        return (type, Array(try encoder.encode(payload)))
    }

    public static func decode(type: String, payload: [UInt8]) throws -> DomainEvent {
        guard let decoder = decoders[type] else { throw EventCodecError.unknownType(type) }
        return try decoder(Data(payload))
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

    private static let decoders: [String: @Sendable (Data) throws -> DomainEvent] = [
        "DepartmentCreated": { .departmentCreated(try decode(DepartmentCreated.self, from: $0)) },
        "AccountRegistered": { .accountRegistered(try decode(AccountRegistered.self, from: $0)) },
        "AccountActivated": { .accountActivated(try decode(AccountRef.self, from: $0)) },
        "PasswordChanged": { .passwordChanged(try decode(AccountRef.self, from: $0)) },
        "RoleGranted": { .roleGranted(try decode(RoleChanged.self, from: $0)) },
        "RoleRevoked": { .roleRevoked(try decode(RoleChanged.self, from: $0)) },
        "ItemPublished": { .itemPublished(try decode(ItemPublished.self, from: $0)) },
        "ItemEdited": { .itemEdited(try decode(ItemEdited.self, from: $0)) },
        "ItemOnlineChanged": { .itemOnlineChanged(try decode(ItemOnlineChanged.self, from: $0)) },
        "ItemWithdrawn": { .itemWithdrawn(try decode(ItemRef.self, from: $0)) },
        "ItemVisited": { .itemVisited(try decode(ItemRef.self, from: $0)) },
        "ApplicationSubmitted": { .applicationSubmitted(try decode(ApplicationSubmitted.self, from: $0)) },
        "ApplicationResubmitted": { .applicationResubmitted(try decode(ApplicationSubmitted.self, from: $0)) },
        "StepApproved": { .stepApproved(try decode(StepDecided.self, from: $0)) },
        "StepRejected": { .stepRejected(try decode(StepDecided.self, from: $0)) },
        "StepReturned": { .stepReturned(try decode(StepDecided.self, from: $0)) },
        "ApplicationApproved": { .applicationApproved(try decode(ApplicationRef.self, from: $0)) },
        "ApplicationWithdrawn": { .applicationWithdrawn(try decode(ApplicationAction.self, from: $0)) },
        "ApplicationCancelled": { .applicationCancelled(try decode(ApplicationAction.self, from: $0)) },
        "ApplicationCompleted": { .applicationCompleted(try decode(ApplicationRef.self, from: $0)) },
        "FulfilmentRefused": { .fulfilmentRefused(try decode(FulfilmentRefused.self, from: $0)) },
        "SealAffixed": { .sealAffixed(try decode(SealAffixed.self, from: $0)) },
        "SealCheckedOut": { .sealCheckedOut(try decode(SealMovement.self, from: $0)) },
        "SealCheckedIn": { .sealCheckedIn(try decode(SealMovement.self, from: $0)) },
        "SealRegistered": { .sealRegistered(try decode(SealRegistered.self, from: $0)) },
        "SealFiled": { .sealFiled(try decode(SealFiled.self, from: $0)) },
        "SealMade": { .sealMade(try decode(SealMade.self, from: $0)) },
        "SealActivated": { .sealActivated(try decode(SealActivated.self, from: $0)) },
        "SealSuspended": { .sealSuspended(try decode(SealSuspended.self, from: $0)) },
        "SealHandedIn": { .sealHandedIn(try decode(SealHandedIn.self, from: $0)) },
        "SealSealedUp": { .sealSealedUp(try decode(SealSealedUp.self, from: $0)) },
        "SealDestroyed": { .sealDestroyed(try decode(SealDestroyed.self, from: $0)) },
        "SealReportedLost": { .sealReportedLost(try decode(SealReportedLost.self, from: $0)) },
        "SealCustodianChanged": { .sealCustodianChanged(try decode(SealCustodianChanged.self, from: $0)) },
        "LostSealAbolished": { .lostSealAbolished(try decode(LostSealAbolished.self, from: $0)) },
        "LetterIssued": { .letterIssued(try decode(LetterIssued.self, from: $0)) },
        "LetterReturnedUnused": { .letterReturnedUnused(try decode(LetterChanged.self, from: $0)) },
        "LetterVoided": { .letterVoided(try decode(LetterChanged.self, from: $0)) },
        "LetterReportedLost": { .letterReportedLost(try decode(LetterChanged.self, from: $0)) },
        "CertificateCopiesProvided": { .certificateCopiesProvided(try decode(CertificateCopiesProvided.self, from: $0)) },
        "CertificateLent": { .certificateLent(try decode(CertificateLent.self, from: $0)) },
        "CertificateReturned": { .certificateReturned(try decode(CertificateReturned.self, from: $0)) },
    ]

    private static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try decoder.decode(type, from: data)
    }

    private static let timeFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(timeFormat))
        }
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = try? timeFormat.parse(text) { return date }
            if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an RFC 3339 time: \(text)"))
        }
        return decoder
    }
}

/// Why a stored event could not be read as a domain event.
public enum EventCodecError: Error, Equatable {
    case unknownType(String)
}
