import Foundation

/// What a list of applications sorts, filters and counts by: read from an application's stored row without
/// decoding its form, attachments, route or fulfilment, so that listing every application of a large hall
/// decodes a few fields of each and builds the whole application only for the page shown.
public struct ApplicationHeadline: Sendable, Equatable {
    public var id: String
    public var kind: ApplicationKind
    public var status: ApplicationStatus
    public var submittedAt: Date

    public init(_ application: Application) {
        id = application.id
        kind = application.kind
        status = application.status
        submittedAt = application.submittedAt
    }

    /// Newest first: by submission time, then by id (two submissions of one batch share their time).
    public static func newerFirst(_ lhs: ApplicationHeadline, _ rhs: ApplicationHeadline) -> Bool {
        (lhs.submittedAt, lhs.id) > (rhs.submittedAt, rhs.id)
    }
}

extension ApplicationHeadline: BinaryReadable {
    /// Reads the headline from an `Application`'s binary form, skipping every other field.
    public init(from reader: inout BinaryReader) throws {
        var id: String?, kind: ApplicationKind?, status: ApplicationStatus?, submittedAt: Date?
        try reader.fields { key, reader in
            switch key {
            case "id": id = try reader.string()
            case "status": status = try reader.value()
            case "submittedAt": submittedAt = try reader.date()
            case "form":
                try reader.fields { key, reader in
                    guard key == "kind" else { return false }
                    kind = try reader.value()
                    return true
                }
            default: return false
            }
            return true
        }
        self.id = try required(id, "id")
        self.kind = try required(kind, "kind")
        self.status = try required(status, "status")
        self.submittedAt = try required(submittedAt, "submittedAt")
    }
}
