import Foundation

// Submissions and decisions read by hand from the binary format (`BinaryReadable`), as their `Decodable`
// conformances read them; `EventCodecTests` holds the two to the same values.

extension Attachment: BinaryReadable {
    public init(from reader: inout BinaryReader) throws {
        var name: String?, size: Int?, sha256: String?
        try reader.fields { key, reader in
            switch key {
            case "name": name = try reader.string()
            case "size": size = try reader.int()
            case "sha256": sha256 = try reader.string()
            default: return false
            }
            return true
        }
        self.init(name: try required(name, "name"), size: try required(size, "size"), sha256: try required(sha256, "sha256"))
    }
}

extension LetterPerson: BinaryReadable {
    public init(from reader: inout BinaryReader) throws {
        var name: String?, title: String?, idNumber: String?
        try reader.fields { key, reader in
            switch key {
            case "name": name = try reader.string()
            case "title": title = try reader.string()
            case "idNumber": idNumber = try reader.string()
            default: return false
            }
            return true
        }
        self.init(name: try required(name, "name"), title: try required(title, "title"), idNumber: try required(idNumber, "idNumber"))
    }
}

extension RouteStep: BinaryReadable {
    public init(from reader: inout BinaryReader) throws {
        var step: StepID?, role: Role?, scope: String?, reason: String?
        var decision: Decision?, decidedBy: String?, decidedAt: Date?, comment: String?
        try reader.fields { key, reader in
            switch key {
            case "step": step = try reader.value()
            case "role": role = try reader.value()
            case "scope": scope = try reader.string()
            case "reason": reason = try reader.string()
            case "decision": decision = try reader.optional { try $0.value() }
            case "decidedBy": decidedBy = try reader.optional { try $0.string() }
            case "decidedAt": decidedAt = try reader.optional { try $0.date() }
            case "comment": comment = try reader.optional { try $0.string() }
            default: return false
            }
            return true
        }
        self.init(step: try required(step, "step"), scope: try required(scope, "scope"), reason: try required(reason, "reason"))
        self.role = try required(role, "role")
        (self.decision, self.decidedBy, self.decidedAt, self.comment) = (decision, decidedBy, decidedAt, comment)
    }
}

extension SealUseForm: BinaryReadable {
    public init(from reader: inout BinaryReader) throws {
        var seals: [String]?, documentTitle: String?, reason: String?, copies: Int?, recipient: String?
        var contractAmount: Int?, takeOut: Bool?, takeOutFrom: Date?, takeOutUntil: Date?, classified: Bool?
        try reader.fields { key, reader in
            switch key {
            case "seals": seals = try reader.array { try $0.string() }
            case "documentTitle": documentTitle = try reader.string()
            case "reason": reason = try reader.string()
            case "copies": copies = try reader.int()
            case "recipient": recipient = try reader.optional { try $0.string() }
            case "contractAmount": contractAmount = try reader.optional { try $0.int() }
            case "takeOut": takeOut = try reader.bool()
            case "takeOutFrom": takeOutFrom = try reader.optional { try $0.date() }
            case "takeOutUntil": takeOutUntil = try reader.optional { try $0.date() }
            case "classified": classified = try reader.bool()
            default: return false
            }
            return true
        }
        self.init(
            seals: try required(seals, "seals"), documentTitle: try required(documentTitle, "documentTitle"),
            reason: try required(reason, "reason"), copies: try required(copies, "copies"), recipient: recipient,
            contractAmount: contractAmount, takeOut: try required(takeOut, "takeOut"), takeOutFrom: takeOutFrom,
            takeOutUntil: takeOutUntil, classified: try required(classified, "classified"))
    }
}

extension SealCarvingForm: BinaryReadable {
    public init(from reader: inout BinaryReader) throws {
        var sealName: String?, category: SealCategory?, departmentId: String?, reason: CarvingReason?
        var basisDocument: String?, size: Int?, quantity: Int?, custodian: String?, scope: String?, replacesSeal: String?
        try reader.fields { key, reader in
            switch key {
            case "sealName": sealName = try reader.string()
            case "category": category = try reader.value()
            case "departmentId": departmentId = try reader.string()
            case "reason": reason = try reader.value()
            case "basisDocument": basisDocument = try reader.string()
            case "size": size = try reader.int()
            case "quantity": quantity = try reader.int()
            case "custodian": custodian = try reader.string()
            case "scope": scope = try reader.string()
            case "replacesSeal": replacesSeal = try reader.optional { try $0.string() }
            default: return false
            }
            return true
        }
        self.init(
            sealName: try required(sealName, "sealName"), category: try required(category, "category"),
            departmentId: try required(departmentId, "departmentId"), reason: try required(reason, "reason"),
            basisDocument: try required(basisDocument, "basisDocument"), size: try required(size, "size"),
            quantity: try required(quantity, "quantity"), custodian: try required(custodian, "custodian"),
            scope: try required(scope, "scope"), replacesSeal: replacesSeal)
    }
}

extension SealAbolitionForm: BinaryReadable {
    public init(from reader: inout BinaryReader) throws {
        var seal: String?, reason: AbolitionReason?, stopDate: Date?
        try reader.fields { key, reader in
            switch key {
            case "seal": seal = try reader.string()
            case "reason": reason = try reader.value()
            case "stopDate": stopDate = try reader.date()
            default: return false
            }
            return true
        }
        self.init(seal: try required(seal, "seal"), reason: try required(reason, "reason"), stopDate: try required(stopDate, "stopDate"))
    }
}

extension LetterForm: BinaryReadable {
    public init(from reader: inout BinaryReader) throws {
        var letterType: LetterType?, persons: [LetterPerson]?, destination: String?, matter: String?
        var validDays: Int?, important: Bool?
        try reader.fields { key, reader in
            switch key {
            case "letterType": letterType = try reader.value()
            case "persons": persons = try reader.array { try $0.read() }
            case "destination": destination = try reader.string()
            case "matter": matter = try reader.string()
            case "validDays": validDays = try reader.int()
            case "important": important = try reader.bool()
            default: return false
            }
            return true
        }
        self.init(
            letterType: try required(letterType, "letterType"), persons: try required(persons, "persons"),
            destination: try required(destination, "destination"), matter: try required(matter, "matter"),
            validDays: try required(validDays, "validDays"), important: try required(important, "important"))
    }
}

extension CertificateRequestForm: BinaryReadable {
    public init(from reader: inout BinaryReader) throws {
        var documents: [CertificateDocument]?, form: CertificateForm?, copies: Int?, purpose: String?
        var recipient: String?, borrowFrom: Date?, dueBack: Date?
        try reader.fields { key, reader in
            switch key {
            case "documents": documents = try reader.array { try $0.value() }
            case "form": form = try reader.value()
            case "copies": copies = try reader.optional { try $0.int() }
            case "purpose": purpose = try reader.string()
            case "recipient": recipient = try reader.string()
            case "borrowFrom": borrowFrom = try reader.optional { try $0.date() }
            case "dueBack": dueBack = try reader.optional { try $0.date() }
            default: return false
            }
            return true
        }
        self.init(
            documents: try required(documents, "documents"), form: try required(form, "form"), copies: copies,
            purpose: try required(purpose, "purpose"), recipient: try required(recipient, "recipient"),
            borrowFrom: borrowFrom, dueBack: dueBack)
    }
}

/// The form's own fields and its `kind`, in one container: `kind` is found first, then the form is read from
/// the container's start (its reader skips `kind` as a field it does not know).
extension ApplicationForm: BinaryReadable {
    public init(from reader: inout BinaryReader) throws {
        var probe = reader
        var kind: ApplicationKind?
        try probe.fields { key, reader in
            guard key == "kind" else { return false }
            kind = try reader.value()
            return true
        }
        switch try required(kind, "kind") {
        case .sealUse: self = .sealUse(try reader.read())
        case .sealCarving: self = .sealCarving(try reader.read())
        case .sealAbolition: self = .sealAbolition(try reader.read())
        case .letter: self = .letter(try reader.read())
        case .certificate: self = .certificate(try reader.read())
        }
    }
}

extension ApplicationSubmitted: BinaryReadable {
    public init(from reader: inout BinaryReader) throws {
        var applicationId: String?, applicant: String?, departmentId: String?, form: ApplicationForm?
        var attachments: [Attachment]?, route: [RouteStep]?
        try reader.fields { key, reader in
            switch key {
            case "applicationId": applicationId = try reader.string()
            case "applicant": applicant = try reader.string()
            case "departmentId": departmentId = try reader.string()
            case "form": form = try reader.read()
            case "attachments": attachments = try reader.array { try $0.read() }
            case "route": route = try reader.array { try $0.read() }
            default: return false
            }
            return true
        }
        self.init(
            applicationId: try required(applicationId, "applicationId"), applicant: try required(applicant, "applicant"),
            departmentId: try required(departmentId, "departmentId"), form: try required(form, "form"),
            attachments: try required(attachments, "attachments"), route: try required(route, "route"))
    }
}

extension StepDecided: BinaryReadable {
    public init(from reader: inout BinaryReader) throws {
        var applicationId: String?, stepIndex: Int?, step: StepID?, by: String?, comment: String?
        try reader.fields { key, reader in
            switch key {
            case "applicationId": applicationId = try reader.string()
            case "stepIndex": stepIndex = try reader.int()
            case "step": step = try reader.value()
            case "by": by = try reader.string()
            case "comment": comment = try reader.optional { try $0.string() }
            default: return false
            }
            return true
        }
        self.init(
            applicationId: try required(applicationId, "applicationId"), stepIndex: try required(stepIndex, "stepIndex"),
            step: try required(step, "step"), by: try required(by, "by"), comment: comment)
    }
}
