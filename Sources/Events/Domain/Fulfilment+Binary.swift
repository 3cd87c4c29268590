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

extension Letter: BinaryWritable, BinaryReadable {
    public func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: 12)
        writer.field("serial", serial)
        writer.field("type", type)
        writer.field("year", year)
        writer.field("sequence", sequence)
        writer.field("number", number)
        writer.field("applicationId", applicationId)
        writer.field("persons", persons)
        writer.field("destination", destination)
        writer.field("matter", matter)
        writer.field("issuedAt", issuedAt)
        writer.field("expiresAt", expiresAt)
        writer.field("status", status)
    }

    public init(from reader: inout BinaryReader) throws {
        var serial: String?, type: LetterType?, year: Int?, sequence: Int?, number: String?, applicationId: String?
        var persons: [LetterPerson]?, destination: String?, matter: String?, issuedAt: Date?, expiresAt: Date?
        var status: LetterStatus?
        try reader.fields { key, reader in
            switch key {
            case "serial": serial = try reader.string()
            case "type": type = try reader.value()
            case "year": year = try reader.int()
            case "sequence": sequence = try reader.int()
            case "number": number = try reader.string()
            case "applicationId": applicationId = try reader.string()
            case "persons": persons = try reader.array { try $0.read() }
            case "destination": destination = try reader.string()
            case "matter": matter = try reader.string()
            case "issuedAt": issuedAt = try reader.date()
            case "expiresAt": expiresAt = try reader.date()
            case "status": status = try reader.value()
            default: return false
            }
            return true
        }
        self.init(
            serial: try required(serial, "serial"), type: try required(type, "type"), year: try required(year, "year"),
            sequence: try required(sequence, "sequence"), number: try required(number, "number"),
            applicationId: try required(applicationId, "applicationId"), persons: try required(persons, "persons"),
            destination: try required(destination, "destination"), matter: try required(matter, "matter"),
            issuedAt: try required(issuedAt, "issuedAt"), expiresAt: try required(expiresAt, "expiresAt"),
            status: try required(status, "status"))
    }
}

extension LetterIssued: BinaryWritable, BinaryReadable {
    public func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: 1)
        writer.key("letter")
        letter.write(to: &writer)
    }

    public init(from reader: inout BinaryReader) throws {
        var letter: Letter?
        try reader.fields { key, reader in
            guard key == "letter" else { return false }
            letter = try reader.read()
            return true
        }
        self.init(letter: try required(letter, "letter"))
    }
}
