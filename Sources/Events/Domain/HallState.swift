import Foundation

/// A department (部门) of the university.
public struct Department: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
}

/// A person's account: who they are and what they may do. No secret is held here.
public struct Account: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var departmentId: String
    public var kind: AccountKind
    public var roles: [RoleGrant]
    public var isActivated: Bool

    public func holds(_ role: Role, scope: String) -> Bool {
        roles.contains(RoleGrant(role: role, scope: scope))
    }
}

/// A seal and where it stands in its lifecycle.
public struct Seal: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var category: SealCategory
    public var departmentId: String
    public var status: SealStatus
    public var custodian: String?
    /// How many times it was affixed.
    public var uses: Int
    public var filingNumber: String?
    public var maker: String?
    public var imprint: String?
    public var noticeNumber: String?
    public var effectiveDate: Date?
    public var location: String?
    /// The take-out application that has the seal outside, and until when.
    public var checkedOutFor: String?
    public var checkedOutUntil: Date?
    /// The application that abolished it (a lost seal stays `lost` once abolished).
    public var abolishedBy: String?
}

/// One step of a recorded route, with its decision once made.
public struct RouteStep: Codable, Sendable, Equatable {
    public var step: StepID
    public var role: Role
    public var scope: String
    /// Why the step is on the route, for the applicant and the auditor.
    public var reason: String
    public var decision: Decision?
    public var decidedBy: String?
    public var decidedAt: Date?
    public var comment: String?

    public init(step: StepID, scope: String, reason: String) {
        self.step = step
        self.role = step.role
        self.scope = scope
        self.reason = reason
    }
}

/// What has been done to fulfil an approved application.
public struct Fulfilment: Codable, Sendable, Equatable {
    public var affixed: [String] = []
    /// The scans of the stamped documents the keepers recorded with their affixes (attachment SHA-256s).
    public var scans: [String] = []
    public var checkedOut: [String] = []
    public var checkedIn: [String] = []
    /// The seals an approved carving registered.
    public var carvedSeals: [String] = []
    public var letterSerial: String?
    public var copiesProvided: Int?
    public var lentAt: Date?
    public var returnedAt: Date?
}

/// An application (办件) of one of the five kinds.
public struct Application: Codable, Sendable, Equatable {
    public var id: String
    public var applicant: String
    public var departmentId: String
    public var form: ApplicationForm
    public var attachments: [Attachment]
    public var route: [RouteStep]
    /// The index in `route` of the step pending now; nil when no step is.
    public var currentStep: Int?
    public var status: ApplicationStatus
    /// Grows with every event of the application; every command on it must name the current one.
    public var version: Int
    public var submittedAt: Date
    public var fulfilment: Fulfilment

    public var kind: ApplicationKind { form.kind }

    /// The seals the application concerns: to use, to abolish, to replace, or carved by it.
    public var sealIds: [String] {
        Self.sealIds(of: form) + fulfilment.carvedSeals
    }
}

/// The stub (存根) of an issued introduction letter.
public struct Letter: Codable, Sendable, Equatable {
    /// `administrative-2026-0001`: type, year and sequence.
    public var serial: String
    public var type: LetterType
    public var year: Int
    public var sequence: Int
    /// The printed 编号.
    public var number: String
    public var applicationId: String
    public var persons: [LetterPerson]
    public var destination: String
    public var matter: String
    public var issuedAt: Date
    public var expiresAt: Date
    /// Issued, returned, voided or lost; `expired` is derived from the time, never stored.
    public var status: LetterStatus

    public func status(at time: Date) -> LetterStatus {
        status == .issued && time > expiresAt ? .expired : status
    }
}

/// A service item of the catalog (事项), with its guide (办事指南).
public struct CatalogItem: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var departmentId: String
    public var theme: String
    public var audience: Audience
    public var online: Bool
    public var guide: ItemGuide
    /// The application kind the item starts, for the five online items.
    public var kind: ApplicationKind?
    public var withdrawn: Bool
    public var visits: Int

    public init(
        id: String, name: String, departmentId: String, theme: String, audience: Audience, online: Bool,
        guide: ItemGuide, kind: ApplicationKind?, withdrawn: Bool = false, visits: Int = 0
    ) {
        self.id = id
        self.name = name
        self.departmentId = departmentId
        self.theme = theme
        self.audience = audience
        self.online = online
        self.guide = guide
        self.kind = kind
        self.withdrawn = withdrawn
        self.visits = visits
    }
}

/// 办事指南: who may apply, how, with what, how long it takes and whom to call.
public struct ItemGuide: Codable, Sendable, Equatable {
    public var audience: String
    public var process: String
    public var materials: String
    public var timeLimit: String
    public var phone: String

    public init(audience: String, process: String, materials: String, timeLimit: String, phone: String) {
        self.audience = audience
        self.process = process
        self.materials = materials
        self.timeLimit = timeLimit
        self.phone = phone
    }
}

/// Everything the deciders need to know: the state of the hall as of one log position.
public struct HallState: Sendable, Equatable {
    public var departments: [String: Department] = [:]
    /// Changed only through `setAccount(_:id:)`, which keeps `holders` with it.
    public internal(set) var accounts: [String: Account] = [:]
    /// The accounts holding each role grant, derived from `accounts`: a step's candidates are found without a
    /// pass over every account. A grant nobody holds has no entry.
    public internal(set) var holders: [RoleGrant: Set<String>] = [:]
    public var seals: [String: Seal] = [:]
    /// Sharded, so that growing it never stalls the writer (`ShardedDictionary`).
    public var applications = ShardedDictionary<String, Application>()
    public var letters: [String: Letter] = [:]
    public var items: [String: CatalogItem] = [:]
    /// The last sequence issued per letter type and year: serials are gapless and never reused.
    public var letterSequences: [String: Int] = [:]
    /// The last application number per year.
    public var applicationNumbers: [Int: Int] = [:]
    /// The log position this state reflects.
    public var position: UInt64 = 0

    public init() {}

    static func letterSequenceKey(_ type: LetterType, _ year: Int) -> String {
        "\(type.rawValue)-\(year)"
    }
}
