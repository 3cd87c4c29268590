import Foundation

// The payloads of the domain events. Each is the data of one fact, named in the past tense by its event.

/// A department entered the hall.
public struct DepartmentCreated: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
}

/// An admin registered an account with its roles (its secret never enters the log).
public struct AccountRegistered: Codable, Sendable, Equatable {
    public var account: String
    public var name: String
    public var departmentId: String
    public var kind: AccountKind
    public var roles: [RoleGrant]
}

/// An event about one account and nothing more (activated, password changed).
public struct AccountRef: Codable, Sendable, Equatable {
    public var account: String
}

/// A role was granted to or revoked from an account.
public struct RoleChanged: Codable, Sendable, Equatable {
    public var account: String
    public var grant: RoleGrant
}

/// A catalog item was published.
public struct ItemPublished: Codable, Sendable, Equatable {
    public var item: CatalogItem
}

/// The fields of an item an admin changed; nil leaves a field as it was.
public struct ItemEdited: Codable, Sendable, Equatable {
    public var id: String
    public var name: String?
    public var departmentId: String?
    public var theme: String?
    public var audience: Audience?
    public var guide: ItemGuide?

    /// Whether it names any field to change.
    public var changesAField: Bool {
        name != nil || departmentId != nil || theme != nil || audience != nil || guide != nil
    }

    public init(
        id: String, name: String? = nil, departmentId: String? = nil, theme: String? = nil, audience: Audience? = nil,
        guide: ItemGuide? = nil
    ) {
        self.id = id
        self.name = name
        self.departmentId = departmentId
        self.theme = theme
        self.audience = audience
        self.guide = guide
    }
}

/// A catalog item was taken online or offline.
public struct ItemOnlineChanged: Codable, Sendable, Equatable {
    public var id: String
    public var online: Bool
}

/// An event about one catalog item and nothing more (withdrawn, visited).
public struct ItemRef: Codable, Sendable, Equatable {
    public var id: String
}

/// A submission or resubmission, with the route computed from its form at that moment.
public struct ApplicationSubmitted: Codable, Sendable, Equatable {
    public var applicationId: String
    public var applicant: String
    public var departmentId: String
    public var form: ApplicationForm
    public var attachments: [Attachment]
    public var route: [RouteStep]
}

/// A decision on one step of a route.
public struct StepDecided: Codable, Sendable, Equatable {
    public var applicationId: String
    public var stepIndex: Int
    public var step: StepID
    public var by: String
    public var comment: String?
}

/// An event about one application and nothing more (approved, completed).
public struct ApplicationRef: Codable, Sendable, Equatable {
    public var applicationId: String
}

/// The applicant's withdrawal or cancellation.
public struct ApplicationAction: Codable, Sendable, Equatable {
    public var applicationId: String
    public var by: String
    public var comment: String?
}

/// A keeper refused to affix a seal to an approved application.
public struct FulfilmentRefused: Codable, Sendable, Equatable {
    public var applicationId: String
    public var seal: String
    public var by: String
    public var comment: String
}

/// One use of a seal: the 用印登记簿 row.
public struct SealAffixed: Codable, Sendable, Equatable {
    public var applicationId: String
    public var seal: String
    public var impressions: Int
    public var scan: String?
    public var by: String
    public var applicant: String
    public var departmentId: String
    public var documentTitle: String
    public var reason: String
    public var approvers: [String]
}

/// A seal leaving with, or coming back from, a take-out application.
public struct SealMovement: Codable, Sendable, Equatable {
    public var applicationId: String
    public var seal: String
    public var by: String
    public var until: Date?
}

/// A seal entered the register: one already in use, or one carved by an application.
public struct SealRegistered: Codable, Sendable, Equatable {
    public var seal: String
    public var name: String
    public var category: SealCategory
    public var departmentId: String
    public var status: SealStatus
    public var custodian: String?
    public var applicationId: String?
}

/// A carved seal was filed with the police (备案).
public struct SealFiled: Codable, Sendable, Equatable {
    public var seal: String
    public var filingNumber: String
    public var applicationId: String
}

/// A carved seal was made.
public struct SealMade: Codable, Sendable, Equatable {
    public var seal: String
    public var maker: String
    public var applicationId: String
}

/// A seal was put into use, with its imprint and notice.
public struct SealActivated: Codable, Sendable, Equatable {
    public var seal: String
    public var imprint: String
    public var noticeNumber: String
    public var effectiveDate: Date
    public var custodian: String
    public var applicationId: String
}

/// A seal stopped being used, pending its abolition.
public struct SealSuspended: Codable, Sendable, Equatable {
    public var seal: String
    public var applicationId: String
    public var reason: String
}

/// A seal was handed in to the office.
public struct SealHandedIn: Codable, Sendable, Equatable {
    public var seal: String
    public var handedInBy: String
    public var receivedBy: String
    public var applicationId: String?
}

/// A seal was sealed up (封存) in a named place.
public struct SealSealedUp: Codable, Sendable, Equatable {
    public var seal: String
    public var location: String
    public var applicationId: String?
}

/// A sealed-up seal was destroyed before two supervisors.
public struct SealDestroyed: Codable, Sendable, Equatable {
    public var seal: String
    public var supervisors: [String]
}

/// A seal was reported lost.
public struct SealReportedLost: Codable, Sendable, Equatable {
    public var seal: String
    public var by: String
    public var comment: String?
}

/// A seal passed to another keeper.
public struct SealCustodianChanged: Codable, Sendable, Equatable {
    public var seal: String
    public var from: String?
    public var to: String
}

/// The abolition of a seal that is lost: it stays `lost`, marked abolished by the application.
public struct LostSealAbolished: Codable, Sendable, Equatable {
    public var seal: String
    public var applicationId: String
}

/// An introduction letter was issued; the payload is its stub.
public struct LetterIssued: Codable, Sendable, Equatable {
    public var letter: Letter
}

/// A letter returned unused, voided or reported lost.
public struct LetterChanged: Codable, Sendable, Equatable {
    public var serial: String
    public var by: String
    public var comment: String?
}

/// Copies of certificates were provided.
public struct CertificateCopiesProvided: Codable, Sendable, Equatable {
    public var applicationId: String
    public var documents: [CertificateDocument]
    public var copies: Int
    public var by: String
}

/// Certificate originals were lent, due back by a date.
public struct CertificateLent: Codable, Sendable, Equatable {
    public var applicationId: String
    public var documents: [CertificateDocument]
    public var dueBack: Date
    public var by: String
}

/// Lent certificate originals came back.
public struct CertificateReturned: Codable, Sendable, Equatable {
    public var applicationId: String
    public var by: String
    public var comment: String?
}
