import Foundation

/// A file an application names: stored beside the log by content hash, never inside it.
public struct Attachment: Codable, Sendable, Equatable {
    public var name: String
    public var size: Int
    public var sha256: String

    public init(name: String, size: Int, sha256: String) {
        self.name = name
        self.size = size
        self.sha256 = sha256
    }
}

/// 用印审批 (DOMAIN.md §3.1).
public struct SealUseForm: Codable, Sendable, Equatable {
    public var seals: [String]
    public var documentTitle: String
    public var reason: String
    public var copies: Int
    public var recipient: String?
    public var contractAmount: Int?
    public var takeOut: Bool
    public var takeOutFrom: Date?
    public var takeOutUntil: Date?
    public var classified: Bool

    public init(
        seals: [String], documentTitle: String, reason: String, copies: Int, recipient: String? = nil,
        contractAmount: Int? = nil, takeOut: Bool = false, takeOutFrom: Date? = nil, takeOutUntil: Date? = nil,
        classified: Bool = false
    ) {
        self.seals = seals
        self.documentTitle = documentTitle
        self.reason = reason
        self.copies = copies
        self.recipient = recipient
        self.contractAmount = contractAmount
        self.takeOut = takeOut
        self.takeOutFrom = takeOutFrom
        self.takeOutUntil = takeOutUntil
        self.classified = classified
    }
}

/// 印章刻制审批 (DOMAIN.md §3.2).
public struct SealCarvingForm: Codable, Sendable, Equatable {
    public var sealName: String
    public var category: SealCategory
    public var departmentId: String
    public var reason: CarvingReason
    public var basisDocument: String
    public var size: Int
    public var quantity: Int
    public var custodian: String
    public var scope: String
    public var replacesSeal: String?

    public init(
        sealName: String, category: SealCategory, departmentId: String, reason: CarvingReason,
        basisDocument: String, size: Int, quantity: Int, custodian: String, scope: String,
        replacesSeal: String? = nil
    ) {
        self.sealName = sealName
        self.category = category
        self.departmentId = departmentId
        self.reason = reason
        self.basisDocument = basisDocument
        self.size = size
        self.quantity = quantity
        self.custodian = custodian
        self.scope = scope
        self.replacesSeal = replacesSeal
    }
}

/// 印章废止审批 (DOMAIN.md §3.3).
public struct SealAbolitionForm: Codable, Sendable, Equatable {
    public var seal: String
    public var reason: AbolitionReason
    public var stopDate: Date

    public init(seal: String, reason: AbolitionReason, stopDate: Date) {
        self.seal = seal
        self.reason = reason
        self.stopDate = stopDate
    }
}

/// One person an introduction letter introduces; the ID number is stored masked only.
public struct LetterPerson: Codable, Sendable, Equatable {
    public var name: String
    public var title: String
    public var idNumber: String

    public init(name: String, title: String, idNumber: String) {
        self.name = name
        self.title = title
        self.idNumber = idNumber
    }
}

/// 开具介绍信审批 (DOMAIN.md §3.4).
public struct LetterForm: Codable, Sendable, Equatable {
    public var letterType: LetterType
    public var persons: [LetterPerson]
    public var destination: String
    public var matter: String
    public var validDays: Int
    public var important: Bool

    public init(
        letterType: LetterType, persons: [LetterPerson], destination: String, matter: String, validDays: Int = 5,
        important: Bool = false
    ) {
        self.letterType = letterType
        self.persons = persons
        self.destination = destination
        self.matter = matter
        self.validDays = validDays
        self.important = important
    }
}

/// 法人证书、法定代表人身份证使用审批 (DOMAIN.md §3.5).
public struct CertificateRequestForm: Codable, Sendable, Equatable {
    public var documents: [CertificateDocument]
    public var form: CertificateForm
    public var copies: Int?
    public var purpose: String
    public var recipient: String
    public var borrowFrom: Date?
    public var dueBack: Date?

    public init(
        documents: [CertificateDocument], form: CertificateForm, copies: Int? = nil, purpose: String,
        recipient: String, borrowFrom: Date? = nil, dueBack: Date? = nil
    ) {
        self.documents = documents
        self.form = form
        self.copies = copies
        self.purpose = purpose
        self.recipient = recipient
        self.borrowFrom = borrowFrom
        self.dueBack = dueBack
    }
}

/// The form of any of the five items; encoded as the form's own fields plus `kind`.
public indirect enum ApplicationForm: Codable, Sendable, Equatable {
    case sealUse(SealUseForm)
    case sealCarving(SealCarvingForm)
    case sealAbolition(SealAbolitionForm)
    case letter(LetterForm)
    case certificate(CertificateRequestForm)

    public var kind: ApplicationKind {
        switch self {
        case .sealUse: .sealUse
        case .sealCarving: .sealCarving
        case .sealAbolition: .sealAbolition
        case .letter: .letter
        case .certificate: .certificate
        }
    }

    /// A line naming the application in queues and lists.
    public var title: String {
        switch self {
        case .sealUse(let form): form.documentTitle
        case .sealCarving(let form): "刻制：\(form.sealName)"
        case .sealAbolition(let form): "废止：\(form.seal)"
        case .letter(let form): "介绍信：\(form.destination)（\(form.matter)）"
        case .certificate(let form): "证照：\(form.purpose)"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case kind
    }

    public init(from decoder: any Decoder) throws {
        let kind = try decoder.container(keyedBy: CodingKeys.self).decode(ApplicationKind.self, forKey: .kind)
        switch kind {
        case .sealUse: self = .sealUse(try SealUseForm(from: decoder))
        case .sealCarving: self = .sealCarving(try SealCarvingForm(from: decoder))
        case .sealAbolition: self = .sealAbolition(try SealAbolitionForm(from: decoder))
        case .letter: self = .letter(try LetterForm(from: decoder))
        case .certificate: self = .certificate(try CertificateRequestForm(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .sealUse(let form): try form.encode(to: encoder)
        case .sealCarving(let form): try form.encode(to: encoder)
        case .sealAbolition(let form): try form.encode(to: encoder)
        case .letter(let form): try form.encode(to: encoder)
        case .certificate(let form): try form.encode(to: encoder)
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
    }
}
