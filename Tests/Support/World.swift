import Foundation
import Testing

@testable import Events

/// The hall in memory, driven through the pure rules alone: `decide`, then `evolve` with what was decided.
public struct World {
    public var state = HallState()
    /// 2026-03-02T08:00:00+08:00.
    public var now = Date(timeIntervalSince1970: 1_772_409_600)

    /// Decides and applies `command`; returns its events.
    public init() {}

    @discardableResult
    public mutating func run(_ command: Command, as actor: String) throws(Rejection) -> [DomainEvent] {
        let events = try Decider.decide(command, state: state, context: CommandContext(actor: actor, now: now))
        for event in events {
            state.evolve(by: RecordedEvent(event: event, actor: actor, recordedAt: now, position: state.position + 1))
        }
        return events
    }

    /// Expects `command` to be refused, and the state to stay as it was.
    public mutating func refuse(_ command: Command, as actor: String) -> Rejection? {
        let before = state
        do {
            let events = try run(command, as: actor)
            Issue.recordFailure("\(command) by \(actor) was accepted: \(events)")
            return nil
        } catch {
            if state != before { Issue.recordFailure("a refused command changed the state") }
            return error
        }
    }

    public func application(_ id: String) -> Application {
        state.applications[id]!
    }

    /// The id of the newest application.
    public var lastApplicationId: String {
        state.applications.keys.max()!
    }

    public mutating func advance(days: Double) {
        now += days * 86_400
    }
}

extension Issue {
    public static func recordFailure(_ message: String) {
        Issue.record(Comment(rawValue: message))
    }
}

/// The standard cast: two departments with heads and leaders, the office, reviewers, the president, a keeper
/// for each school-level seal and one for the department seals, an auditor and two staff applicants.
public enum Cast {
    public static let office = "O001"
    public static let legal = "L001"
    public static let finance = "F001"
    public static let president = "P001"
    public static let keeper = "K001"
    public static let deptKeeper = "K002"
    public static let auditor = "AU01"
    public static let applicant = "T1001"
    public static let colleague = "T1002"
    public static let otherApplicant = "T2001"
    public static let head = "H02"
    public static let otherHead = "H03"
    public static let leader = "LD02"
    public static let otherLeader = "LD03"
    public static let student = "S0001"

    public static let computing = "D02"
    public static let materials = "D03"

    /// A seal id per category: `S-party`, `S-administrative`, …; department-level seals belong to D02.
    public static func seal(_ category: SealCategory) -> String { "S-\(category.rawValue)" }

    /// The commands that set the cast up, each with its actor, in order.
    public static var setup: [(Command, String)] {
        let system = CommandContext.systemActor
        var commands: [(Command, String)] = [
            (.createDepartment(id: "D01", name: "党委办公室 校长办公室"), system),
            (.createDepartment(id: computing, name: "计算机科学与技术学院"), system),
            (.createDepartment(id: materials, name: "材料科学与化学工程学院"), system),
        ]
        let school = RoleGrant.schoolScope
        let people: [(String, String, String, [RoleGrant])] = [
            (office, "王党办", "D01", [RoleGrant(role: .officeReviewer, scope: school)]),
            (legal, "李法务", "D01", [RoleGrant(role: .legalReviewer, scope: school)]),
            (finance, "赵财务", "D01", [RoleGrant(role: .financeReviewer, scope: school)]),
            (president, "张校长", "D01", [RoleGrant(role: .president, scope: school)]),
            (keeper, "刘监印", "D01", [RoleGrant(role: .sealKeeper, scope: school)]),
            (deptKeeper, "陈监印", computing, [RoleGrant(role: .sealKeeper, scope: school)]),
            (auditor, "孙审计", "D01", [RoleGrant(role: .auditor, scope: school)]),
            (applicant, "周经办", computing, [RoleGrant(role: .applicant, scope: computing)]),
            (colleague, "吴经办", computing, [RoleGrant(role: .applicant, scope: computing)]),
            (otherApplicant, "郑经办", materials, [RoleGrant(role: .applicant, scope: materials)]),
            (head, "钱院长", computing, [RoleGrant(role: .deptHead, scope: computing)]),
            (otherHead, "冯院长", materials, [RoleGrant(role: .deptHead, scope: materials)]),
            (leader, "何副校长", "D01", [RoleGrant(role: .schoolLeader, scope: computing)]),
            (otherLeader, "吕副校长", "D01", [RoleGrant(role: .schoolLeader, scope: materials)]),
        ]
        for (id, name, department, roles) in people {
            commands.append((.registerAccount(account: id, name: name, departmentId: department, kind: .staff, roles: roles), system))
            commands.append((.activateAccount(account: id), id))
        }
        commands.append((.registerAccount(account: student, name: "学生甲", departmentId: computing, kind: .student, roles: []), system))
        commands.append((.activateAccount(account: student), student))
        for category in SealCategory.allCases {
            let isSchool = category.isSchoolLevel
            commands.append((
                .registerExistingSeal(
                    id: seal(category), name: category.chineseName, category: category,
                    departmentId: isSchool ? "D01" : computing, custodian: isSchool ? keeper : deptKeeper),
                system))
        }
        return commands
    }

    public static func world() throws -> World {
        var world = World()
        for (command, actor) in setup {
            try world.run(command, as: actor)
        }
        return world
    }

    public static let attachment = Attachment(name: "合同.pdf", size: 1024, sha256: String(repeating: "ab", count: 32))

    public static func sealUse(
        _ seals: [SealCategory], amount: Int? = nil, takeOut: Bool = false, now: Date = World().now
    ) -> ApplicationForm {
        .sealUse(
            SealUseForm(
                seals: seals.map(seal), documentTitle: "技术服务合同", reason: "对外签订合同", copies: 3,
                recipient: "某公司", contractAmount: amount, takeOut: takeOut,
                takeOutFrom: takeOut ? now : nil, takeOutUntil: takeOut ? now + 2 * 86_400 : nil))
    }

    public static func letter(important: Bool = false, validDays: Int = 5, type: LetterType = .administrative) -> ApplicationForm {
        .letter(
            LetterForm(
                letterType: type, persons: [LetterPerson(name: "周经办", title: "讲师", idNumber: "2301**********1234")],
                destination: "黑龙江省教育厅", matter: "联系实习事宜", validDays: validDays, important: important))
    }

    public static func certificate(_ documents: [CertificateDocument], original: Bool, now: Date = World().now) -> ApplicationForm {
        .certificate(
            CertificateRequestForm(
                documents: documents, form: original ? .original : .copy, copies: original ? nil : 2,
                purpose: "项目申报", recipient: "科技厅", borrowFrom: original ? now : nil,
                dueBack: original ? now + 7 * 86_400 : nil))
    }

    public static func carving(_ category: SealCategory, reason: CarvingReason = .new, replaces: String? = nil) -> ApplicationForm {
        .sealCarving(
            SealCarvingForm(
                sealName: "计算机学院\(category.chineseName)", category: category, departmentId: computing,
                reason: reason, basisDocument: "哈理工发〔2026〕1号", size: 40, quantity: 1, custodian: deptKeeper,
                scope: "学院日常公文", replacesSeal: replaces))
    }

    public static func abolition(_ seal: String) -> ApplicationForm {
        .sealAbolition(SealAbolitionForm(seal: seal, reason: .worn, stopDate: World().now))
    }
}

extension World {
    /// Someone who may decide the application's pending step (not its applicant).
    public func candidate(for id: String) -> String? {
        let application = application(id)
        guard let index = application.currentStep else { return nil }
        let step = application.route[index]
        return state.accounts.values.filter { $0.holds(step.role, scope: step.scope) && $0.id != application.applicant }
            .map(\.id).min()
    }

    /// Approves every pending step of the application, each by a candidate.
    public mutating func approveAll(_ id: String) throws(Rejection) {
        while application(id).status == .inReview, let decider = candidate(for: id) {
            try run(.decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: application(id).version), as: decider)
        }
    }

    /// Submits `form` as `applicant` and returns the new application's id.
    public mutating func submit(_ form: ApplicationForm, as applicant: String = Cast.applicant) throws(Rejection) -> String {
        try run(.submit(form: form, attachments: [Cast.attachment]), as: applicant)
        return lastApplicationId
    }

    /// Submits and approves `form`; returns the id of the approved application.
    public mutating func approved(_ form: ApplicationForm, as applicant: String = Cast.applicant) throws(Rejection) -> String {
        let id = try submit(form, as: applicant)
        try approveAll(id)
        return id
    }

    public mutating func fulfil(_ id: String, _ action: FulfilmentAction, as actor: String) throws(Rejection) {
        try run(.fulfil(applicationId: id, action: action, expectedVersion: application(id).version), as: actor)
    }
}
