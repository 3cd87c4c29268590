/// The roles of DOMAIN.md §1. An account may hold several, each with a scope.
public enum Role: String, Codable, Sendable, CaseIterable {
    case applicant
    case deptHead = "dept-head"
    case officeReviewer = "office-reviewer"
    case legalReviewer = "legal-reviewer"
    case financeReviewer = "finance-reviewer"
    case schoolLeader = "school-leader"
    case president
    case sealKeeper = "seal-keeper"
    case auditor
    case admin
}

/// A role held within a scope: a department id, a seal id, or `school`.
public struct RoleGrant: Codable, Sendable, Hashable {
    public var role: Role
    public var scope: String

    public static let schoolScope = "school"

    public init(role: Role, scope: String) {
        self.role = role
        self.scope = scope
    }
}

/// Staff or student: who an account belongs to.
public enum AccountKind: String, Codable, Sendable {
    case staff, student
}

/// The seal categories of DOMAIN.md §2.
public enum SealCategory: String, Codable, Sendable, CaseIterable {
    case party, administrative, steel
    case legalRep = "legal-rep"
    case contract, finance, department
    case departmentParty = "department-party"
    case business

    /// School-level seals need the office's review and, for some uses, a leader's approval.
    public var isSchoolLevel: Bool {
        switch self {
        case .party, .administrative, .steel, .legalRep, .contract, .finance: true
        case .department, .departmentParty, .business: false
        }
    }

    public var chineseName: String {
        switch self {
        case .party: "党委印章"
        case .administrative: "行政印章"
        case .steel: "钢印"
        case .legalRep: "法定代表人名章"
        case .contract: "合同专用章"
        case .finance: "财务专用章"
        case .department: "部门印章"
        case .departmentParty: "党总支印章"
        case .business: "业务专用章"
        }
    }
}

/// A seal's place in its lifecycle (DOMAIN.md §2).
public enum SealStatus: String, Codable, Sendable, CaseIterable {
    case approved, filed, made, active, suspended
    case handedIn = "handed-in"
    case sealedUp = "sealed-up"
    case destroyed, lost
}

/// The five online items.
public enum ApplicationKind: String, Codable, Sendable, CaseIterable {
    case sealUse = "seal-use"
    case sealCarving = "seal-carving"
    case sealAbolition = "seal-abolition"
    case letter
    case certificate

    public var chineseName: String {
        switch self {
        case .sealUse: "用印审批"
        case .sealCarving: "印章刻制审批"
        case .sealAbolition: "印章废止审批"
        case .letter: "开具介绍信审批"
        case .certificate: "法人证书、法定代表人身份证使用审批"
        }
    }
}

/// The approval steps a route is made of, each decided by one role.
public enum StepID: String, Codable, Sendable, CaseIterable {
    case deptHead = "dept-head"
    case legalReview = "legal-review"
    case financeReview = "finance-review"
    case officeReview = "office-review"
    case leaderApproval = "leader-approval"
    case presidentApproval = "president-approval"

    /// The role whose holders decide this step.
    public var role: Role {
        switch self {
        case .deptHead: .deptHead
        case .legalReview: .legalReviewer
        case .financeReview: .financeReviewer
        case .officeReview: .officeReviewer
        case .leaderApproval: .schoolLeader
        case .presidentApproval: .president
        }
    }

    /// The step's name as people read it.
    public var title: String {
        switch self {
        case .deptHead: "部门负责人审核"
        case .legalReview: "法律顾问审核"
        case .financeReview: "财务处审核"
        case .officeReview: "党政办审核"
        case .leaderApproval: "分管校领导审批"
        case .presidentApproval: "校长审批"
        }
    }
}

/// Where an application stands (DOMAIN.md §3).
public enum ApplicationStatus: String, Codable, Sendable, CaseIterable {
    case inReview = "in-review"
    case approved, completed, returned, rejected, cancelled

    /// Terminal statuses count as completed (已完成办件); the others as in progress (当前正在办件).
    public var isTerminal: Bool {
        switch self {
        case .completed, .rejected, .cancelled: true
        case .inReview, .approved, .returned: false
        }
    }
}

/// What an approver decides on a step.
public enum Decision: String, Codable, Sendable, CaseIterable {
    case approve, reject
    case `return`
}

/// The two kinds of introduction letter, each with its own serial sequence per year.
public enum LetterType: String, Codable, Sendable, CaseIterable {
    case party, administrative

    /// The printed number, e.g. `哈理工介字〔2026〕第0001号`.
    public func number(year: Int, serial: Int) -> String {
        let word = self == .party ? "党介字" : "介字"
        let digits = String(serial)
        return "哈理工\(word)〔\(year)〕第\(String(repeating: "0", count: max(0, 4 - digits.count)))\(digits)号"
    }
}

/// A letter's state after issue (the register's status column).
public enum LetterStatus: String, Codable, Sendable, CaseIterable {
    case issued
    case returned
    case voided
    case lost
    case expired
}

/// The documents of the certificate item.
public enum CertificateDocument: String, Codable, Sendable, CaseIterable {
    case certificateOriginal = "certificate-original"
    case certificateDuplicate = "certificate-duplicate"
    case legalRepID = "legal-rep-id"
}

/// Copy or original.
public enum CertificateForm: String, Codable, Sendable, CaseIterable {
    case copy, original
}

/// Why a seal is carved.
public enum CarvingReason: String, Codable, Sendable, CaseIterable {
    case new
    case replace
    case lostRemake = "lost-remake"
}

/// Why a seal is abolished.
public enum AbolitionReason: String, Codable, Sendable, CaseIterable {
    case unitAbolished = "unit-abolished"
    case renamed, worn, lost, replaced
}

/// Which users a catalog item serves.
public enum Audience: String, Codable, Sendable, CaseIterable {
    case teacher, student
}
