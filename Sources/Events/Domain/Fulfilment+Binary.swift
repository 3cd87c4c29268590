import Foundation

// The payloads that follow a submission through to its end — approval and completion, withdrawals, affixes,
// take-outs, certificate copies and loans — written and read by hand in the binary format (`BinaryWritable`,
// `BinaryReadable`), as their `Codable` conformances write and read them; `EventCodecTests` holds the two to the
// same bytes and values for every one of them in a history of every kind.

extension ApplicationRef: BinaryWritable, BinaryReadable {
    public func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: 1)
        writer.field("applicationId", applicationId)
    }

    public init(from reader: inout BinaryReader) throws {
        var applicationId: String?
        try reader.fields { key, reader in
            guard key == "applicationId" else { return false }
            applicationId = try reader.string()
            return true
        }
        self.init(applicationId: try required(applicationId, "applicationId"))
    }
}

/// A payload of an application, who acted, and an optional comment: a withdrawal or cancellation
/// (`ApplicationAction`), certificates returned (`CertificateReturned`).
protocol ActionNote: BinaryWritable, BinaryReadable {
    var applicationId: String { get }
    var by: String { get }
    var comment: String? { get }
    init(applicationId: String, by: String, comment: String?)
}

extension ActionNote {
    public func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: comment == nil ? 2 : 3)
        writer.field("applicationId", applicationId)
        writer.field("by", by)
        writer.field("comment", comment)
    }

    public init(from reader: inout BinaryReader) throws {
        var applicationId: String?, by: String?, comment: String?
        try reader.fields { key, reader in
            switch key {
            case "applicationId": applicationId = try reader.string()
            case "by": by = try reader.string()
            case "comment": comment = try reader.optional { try $0.string() }
            default: return false
            }
            return true
        }
        self.init(applicationId: try required(applicationId, "applicationId"), by: try required(by, "by"), comment: comment)
    }
}

extension ApplicationAction: ActionNote {}

extension CertificateReturned: ActionNote {}

extension SealAffixed: BinaryWritable, BinaryReadable {
    public func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: scan == nil ? 9 : 10)
        writer.field("applicationId", applicationId)
        writer.field("seal", seal)
        writer.field("impressions", impressions)
        writer.field("scan", scan)
        writer.field("by", by)
        writer.field("applicant", applicant)
        writer.field("departmentId", departmentId)
        writer.field("documentTitle", documentTitle)
        writer.field("reason", reason)
        writer.field("approvers", approvers)
    }

    public init(from reader: inout BinaryReader) throws {
        var applicationId: String?, seal: String?, impressions: Int?, scan: String?, by: String?, applicant: String?
        var departmentId: String?, documentTitle: String?, reason: String?, approvers: [String]?
        try reader.fields { key, reader in
            switch key {
            case "applicationId": applicationId = try reader.string()
            case "seal": seal = try reader.string()
            case "impressions": impressions = try reader.int()
            case "scan": scan = try reader.optional { try $0.string() }
            case "by": by = try reader.string()
            case "applicant": applicant = try reader.string()
            case "departmentId": departmentId = try reader.string()
            case "documentTitle": documentTitle = try reader.string()
            case "reason": reason = try reader.string()
            case "approvers": approvers = try reader.read()
            default: return false
            }
            return true
        }
        self.init(
            applicationId: try required(applicationId, "applicationId"), seal: try required(seal, "seal"),
            impressions: try required(impressions, "impressions"), scan: scan, by: try required(by, "by"),
            applicant: try required(applicant, "applicant"), departmentId: try required(departmentId, "departmentId"),
            documentTitle: try required(documentTitle, "documentTitle"), reason: try required(reason, "reason"),
            approvers: try required(approvers, "approvers"))
    }
}

extension SealMovement: BinaryWritable, BinaryReadable {
    public func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: until == nil ? 3 : 4)
        writer.field("applicationId", applicationId)
        writer.field("seal", seal)
        writer.field("by", by)
        writer.field("until", until)
    }

    public init(from reader: inout BinaryReader) throws {
        var applicationId: String?, seal: String?, by: String?, until: Date?
        try reader.fields { key, reader in
            switch key {
            case "applicationId": applicationId = try reader.string()
            case "seal": seal = try reader.string()
            case "by": by = try reader.string()
            case "until": until = try reader.optional { try $0.date() }
            default: return false
            }
            return true
        }
        self.init(
            applicationId: try required(applicationId, "applicationId"), seal: try required(seal, "seal"),
            by: try required(by, "by"), until: until)
    }
}

extension CertificateCopiesProvided: BinaryWritable, BinaryReadable {
    public func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: 4)
        writer.field("applicationId", applicationId)
        writer.field("documents", documents)
        writer.field("copies", copies)
        writer.field("by", by)
    }

    public init(from reader: inout BinaryReader) throws {
        var applicationId: String?, documents: [CertificateDocument]?, copies: Int?, by: String?
        try reader.fields { key, reader in
            switch key {
            case "applicationId": applicationId = try reader.string()
            case "documents": documents = try reader.array { try $0.value() }
            case "copies": copies = try reader.int()
            case "by": by = try reader.string()
            default: return false
            }
            return true
        }
        self.init(
            applicationId: try required(applicationId, "applicationId"), documents: try required(documents, "documents"),
            copies: try required(copies, "copies"), by: try required(by, "by"))
    }
}

extension CertificateLent: BinaryWritable, BinaryReadable {
    public func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: 4)
        writer.field("applicationId", applicationId)
        writer.field("documents", documents)
        writer.field("dueBack", dueBack)
        writer.field("by", by)
    }

    public init(from reader: inout BinaryReader) throws {
        var applicationId: String?, documents: [CertificateDocument]?, dueBack: Date?, by: String?
        try reader.fields { key, reader in
            switch key {
            case "applicationId": applicationId = try reader.string()
            case "documents": documents = try reader.array { try $0.value() }
            case "dueBack": dueBack = try reader.date()
            case "by": by = try reader.string()
            default: return false
            }
            return true
        }
        self.init(
            applicationId: try required(applicationId, "applicationId"), documents: try required(documents, "documents"),
            dueBack: try required(dueBack, "dueBack"), by: try required(by, "by"))
    }
}
