import Foundation

/// Everything a person (or the bootstrap) can ask of the hall. Each is decided against the current state.
public enum Command: Codable, Sendable, Equatable {
    // Administration (admin role, or the bootstrap's `system` actor).
    case createDepartment(id: String, name: String)
    case registerAccount(account: String, name: String, departmentId: String, kind: AccountKind, roles: [RoleGrant])
    case grantRole(account: String, grant: RoleGrant)
    case revokeRole(account: String, grant: RoleGrant)
    /// 存量印章登记: a seal that exists on paper enters the register as `active`.
    case registerExistingSeal(id: String, name: String, category: SealCategory, departmentId: String, custodian: String)
    case publishItem(CatalogItem)
    case editItem(ItemEdited)
    case setItemOnline(id: String, online: Bool)
    case withdrawItem(id: String)
    /// An item's fields, whether it is online, and its withdrawal, changed together: all or nothing.
    case changeItem(edit: ItemEdited, online: Bool?, withdraw: Bool)

    // The person's own account; the secret itself is checked and stored outside the log.
    case activateAccount(account: String)
    case changePassword(account: String)
    /// Anyone opening an item's guide.
    case visitItem(id: String)

    // Applications.
    case submit(form: ApplicationForm, attachments: [Attachment])
    case decide(applicationId: String, decision: Decision, comment: String?, expectedVersion: Int)
    case withdraw(applicationId: String, comment: String?, expectedVersion: Int)
    case resubmit(applicationId: String, form: ApplicationForm, attachments: [Attachment], expectedVersion: Int)
    case cancel(applicationId: String, comment: String?, expectedVersion: Int)
    case fulfil(applicationId: String, action: FulfilmentAction, expectedVersion: Int)

    // Registers: seals and letters outside an application.
    case destroySeal(seal: String, supervisors: [String])
    case reportSealLost(seal: String, comment: String?)
    case handOverSeal(seal: String, to: String)
    case returnLetter(serial: String, comment: String?)
    case voidLetter(serial: String, comment: String?)
    case reportLetterLost(serial: String, comment: String?)
}

extension Command {
    /// The application the command acts on, if any.
    public var applicationId: String? {
        switch self {
        case .decide(let id, _, _, _), .withdraw(let id, _, _), .resubmit(let id, _, _, _), .cancel(let id, _, _),
            .fulfil(let id, _, _):
            id
        default: nil
        }
    }

    /// The letter the command acts on, if any.
    public var letterSerial: String? {
        switch self {
        case .returnLetter(let serial, _), .voidLetter(let serial, _), .reportLetterLost(let serial, _): serial
        default: nil
        }
    }
}

/// The fulfilment actions of API.md, by the keeper of a seal or by the office.
public enum FulfilmentAction: Codable, Sendable, Equatable {
    case affix(seal: String, impressions: Int, scan: String?)
    case refuse(seal: String, comment: String)
    case checkOut(seal: String)
    case checkIn(seal: String)
    case issue
    case provideCopies(copies: Int)
    case lend
    case returnOriginals(comment: String?)
    case file(filingNumber: String)
    case recordMade(maker: String)
    case activate(imprint: String, noticeNumber: String, effectiveDate: Date)
    case handIn(handedInBy: String, receivedBy: String)
    case sealUp(location: String)
}

/// Who asks, and when: time comes in with the command, never from a clock inside the rules.
public struct CommandContext: Sendable, Equatable {
    public var actor: String
    public var now: Date

    /// The bootstrap's actor: it may do what an admin may, and nobody can log in as it.
    public static let systemActor = "system"

    public init(actor: String, now: Date) {
        self.actor = actor
        self.now = now
    }
}

/// Why a command was refused. Each maps to one status and `code` of API.md.
public enum Rejection: Error, Sendable, Equatable {
    /// Field by field, in Chinese (422 `validation`).
    case validation([FieldError])
    /// The actor is not a candidate for the pending step (403 `not-your-step`).
    case notYourStep(String)
    /// The command named an older version of the application (409 `version-conflict`).
    case versionConflict(expected: Int, actual: Int)
    /// Not possible in the current status (409 `invalid-transition`).
    case invalidTransition(String)
    /// A seal that is not active was named for use (409 `seal-not-active`).
    case sealNotActive(seal: String, status: SealStatus, message: String)
    /// No such subject (404 `not-found`).
    case notFound(String)
    /// The actor may not do this at all (403 `forbidden`).
    case forbidden(String)
    /// The subject exists already (409 `conflict`).
    case alreadyExists(String)

    /// The stable machine word of API.md's problem+json `code`.
    public var code: String {
        switch self {
        case .validation: "validation"
        case .notYourStep: "not-your-step"
        case .versionConflict: "version-conflict"
        case .invalidTransition: "invalid-transition"
        case .sealNotActive: "seal-not-active"
        case .notFound: "not-found"
        case .forbidden: "forbidden"
        case .alreadyExists: "already-exists"
        }
    }

    /// A sentence for the person, in Chinese.
    public var message: String {
        switch self {
        case .validation(let errors): errors.map(\.message).joined(separator: "；")
        case .notYourStep(let message), .invalidTransition(let message), .sealNotActive(_, _, let message),
            .notFound(let message), .forbidden(let message), .alreadyExists(let message):
            message
        case .versionConflict(let expected, let actual): "办件已被更新（当前版本 \(actual)，请求版本 \(expected)），请刷新后重试"
        }
    }

    static func field(_ field: String, _ message: String) -> Rejection {
        .validation([FieldError(field, message)])
    }
}
