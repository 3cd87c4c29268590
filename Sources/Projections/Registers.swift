import Events
import Foundation

/// A row of the 印章台账 (seal register).
public struct SealRegisterRow: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var category: SealCategory
    public var departmentId: String
    public var custodian: String?
    public var status: SealStatus
    public var uses: Int
}

/// A row of the 用印登记簿 (seal-use register): one affix.
public struct SealUseRow: Codable, Sendable, Equatable {
    public var position: UInt64
    public var at: Date
    public var seal: String
    public var applicationId: String
    public var impressions: Int
    public var documentTitle: String
    public var reason: String
    public var departmentId: String
    public var applicant: String
    public var approvers: [String]
    public var keeper: String
    /// The scan of the stamped document (an attachment SHA-256), when the keeper recorded one.
    public var scan: String?
}

/// A row of the 证照借用登记 (certificate ledger): copies provided or originals lent.
public struct CertificateLedgerRow: Codable, Sendable, Equatable {
    public var applicationId: String
    public var applicant: String
    public var departmentId: String
    public var documents: [CertificateDocument]
    public var form: CertificateForm
    public var purpose: String
    public var recipient: String
    public var copies: Int?
    public var lentAt: Date?
    public var dueBack: Date?
    public var returnedAt: Date?

    /// Lent, not back, and past its due date at `time`.
    public func isOverdue(at time: Date) -> Bool {
        guard lentAt != nil, returnedAt == nil, let dueBack else { return false }
        return time > dueBack
    }
}

/// Keeps the registers the office signs and auditors read: seals, seal uses, letter stubs, certificate copies
/// and loans. Whether a letter has expired or a loan is overdue is decided when read, for the time asked.
public struct RegistersProjection: Projection {
    public var name: String { "registers" }
    /// 2: use rows name the stamped document's scan. 3: a finished application's approvers are dropped (no
    /// seal is affixed for it any more).
    public var version: Int { 3 }

    public init() {}

    @_specialize(where Store == TableRows)
    @_specialize(where Store == MemoryRows)
    public func apply<Store: ProjectionRows>(_ recorded: RecordedEvent, to store: inout Store) throws {
        func updateSeal(_ id: String, _ change: (inout SealRegisterRow) -> Void) throws {
            try store.updateRow(SealRegisterRow.self, key: "seal/\(id)", change)
        }
        func updateLedger(_ id: String, _ change: (inout CertificateLedgerRow) -> Void) throws {
            var changed: CertificateLedgerRow?
            try store.updateRow(CertificateLedgerRow.self, key: "pending-ledger/\(id)") { row in
                change(&row)
                changed = row
            }
            guard let row = changed, row.copies != nil || row.lentAt != nil else { return }
            try store.setRow(row, key: "ledger/\(id)")
        }
        switch recorded.event {
        case .sealRegistered(let event):
            let row = SealRegisterRow(
                id: event.seal, name: event.name, category: event.category, departmentId: event.departmentId,
                custodian: event.custodian, status: event.status, uses: 0)
            try store.setRow(row, key: "seal/\(event.seal)")
        case .sealFiled(let event): try updateSeal(event.seal) { $0.status = .filed }
        case .sealMade(let event): try updateSeal(event.seal) { $0.status = .made }
        case .sealActivated(let event): try updateSeal(event.seal) { $0.status = .active; $0.custodian = event.custodian }
        case .sealSuspended(let event): try updateSeal(event.seal) { $0.status = .suspended }
        case .sealHandedIn(let event): try updateSeal(event.seal) { $0.status = .handedIn }
        case .sealSealedUp(let event): try updateSeal(event.seal) { $0.status = .sealedUp }
        case .sealDestroyed(let event): try updateSeal(event.seal) { $0.status = .destroyed }
        case .sealReportedLost(let event): try updateSeal(event.seal) { $0.status = .lost }
        case .sealCustodianChanged(let event): try updateSeal(event.seal) { $0.custodian = event.to }
        case .stepApproved(let event):
            let (key, by): (RowKey, String) = ("approvers/\(event.applicationId)", event.by)
            if try !store.updateRow([String].self, key: key, { $0.append(by) }) {
                try store.setRow([by], key: key)
            }
        case .sealAffixed(let event):
            try updateSeal(event.seal) { $0.uses += 1 }
            // The approvers as the log's own decisions record them (older affix records do not list them).
            let approvers = try store.row([String].self, key: "approvers/\(event.applicationId)") ?? []
            let row = SealUseRow(
                position: recorded.position, at: recorded.recordedAt, seal: event.seal, applicationId: event.applicationId,
                impressions: event.impressions, documentTitle: event.documentTitle, reason: event.reason,
                departmentId: event.departmentId, applicant: event.applicant, approvers: approvers, keeper: event.by,
                scan: event.scan)
            try store.setUnreadRow(row, key: "use/\(Self.sortable(recorded.position))")
        case .letterIssued(let event):
            try store.setRow(event.letter, key: "letter/\(event.letter.serial)")
        case .letterReturnedUnused(let event):
            try store.updateRow(Letter.self, key: "letter/\(event.serial)") { $0.status = .returned }
        case .letterVoided(let event):
            try store.updateRow(Letter.self, key: "letter/\(event.serial)") { $0.status = .voided }
        case .letterReportedLost(let event):
            try store.updateRow(Letter.self, key: "letter/\(event.serial)") { $0.status = .lost }
        case .applicationSubmitted(let event), .applicationResubmitted(let event):
            // A resubmission is decided anew; a new application has no approvers yet.
            if case .applicationResubmitted = recorded.event {
                try store.setRow([String]?.none, key: "approvers/\(event.applicationId)")
            }
            guard case .certificate(let form) = event.form else { return }
            let row = CertificateLedgerRow(
                applicationId: event.applicationId, applicant: event.applicant, departmentId: event.departmentId,
                documents: form.documents, form: form.form, purpose: form.purpose, recipient: form.recipient,
                dueBack: form.dueBack)
            try store.setRow(row, key: "pending-ledger/\(event.applicationId)")
        case .applicationCompleted(let event):
            try store.setRow([String]?.none, key: "approvers/\(event.applicationId)")
        case .applicationCancelled(let event):
            try store.setRow([String]?.none, key: "approvers/\(event.applicationId)")
        case .stepRejected(let event):
            try store.setRow([String]?.none, key: "approvers/\(event.applicationId)")
        case .certificateCopiesProvided(let event): try updateLedger(event.applicationId) { $0.copies = event.copies }
        case .certificateLent(let event):
            try updateLedger(event.applicationId) { $0.lentAt = recorded.recordedAt; $0.dueBack = event.dueBack }
        case .certificateReturned(let event): try updateLedger(event.applicationId) { $0.returnedAt = recorded.recordedAt }
        default:
            return
        }
    }

    /// `position` in 20 digits, zeros first, so that keys sort as positions do.
    static func sortable(_ position: UInt64) -> String {
        String(unsafeUninitializedCapacity: 20) { digits in
            var rest = position
            for index in digits.indices.reversed() {
                digits[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            return 20
        }
    }

    // MARK: Reading

    /// The 印章台账, optionally of one status or department, by seal id.
    public static func seals(from engine: ProjectionEngine, status: SealStatus? = nil, departmentId: String? = nil) throws
        -> [SealRegisterRow]
    {
        try engine.read("registers") { reader, table in
            try reader.rows(SealRegisterRow.self, table: table, prefix: "seal/").map(\.value)
                .filter { (status == nil || $0.status == status) && (departmentId == nil || $0.departmentId == departmentId) }
        }
    }

    /// The 用印登记簿 in log order, optionally of one seal.
    public static func uses(from engine: ProjectionEngine, seal: String? = nil) throws -> [SealUseRow] {
        try engine.read("registers") { reader, table in
            try reader.rows(SealUseRow.self, table: table, prefix: "use/").map(\.value).filter { seal == nil || $0.seal == seal }
        }
    }

    /// The 介绍信登记簿 (stubs), optionally of one year or type, with each stub's status at `time`.
    public static func letters(from engine: ProjectionEngine, at time: Date, year: Int? = nil, type: LetterType? = nil)
        throws -> [(letter: Letter, status: LetterStatus)]
    {
        try engine.read("registers") { reader, table in
            try reader.rows(Letter.self, table: table, prefix: "letter/").map(\.value)
                .filter { (year == nil || $0.year == year) && (type == nil || $0.type == type) }
                .sorted { ($0.type.rawValue, $0.year, $0.sequence) < ($1.type.rawValue, $1.year, $1.sequence) }
                .map { ($0, $0.status(at: time)) }
        }
    }

    /// The 证照借用登记: every copy provided and every loan, by application.
    public static func certificates(from engine: ProjectionEngine) throws -> [CertificateLedgerRow] {
        try engine.read("registers") { reader, table in
            try reader.rows(CertificateLedgerRow.self, table: table, prefix: "ledger/").map(\.value)
        }
    }
}
