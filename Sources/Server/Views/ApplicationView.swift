import Events
import Foundation

/// An application as `GET /api/applications/{id}` shows it (API.md): the form, the route with each decision,
/// the pending step, what fulfilment did, and the readable timeline.
struct ApplicationView: Encodable, Sendable {
    var id: String
    var kind: ApplicationKind
    var title: String
    var applicant: String
    var applicantName: String
    var departmentId: String
    var form: ApplicationForm
    var attachments: [Attachment]
    var route: [RouteStep]
    /// The pending step's id; `fulfil` once approved and not yet complete; nil when nothing is pending.
    var currentStep: String?
    /// Who may act now: the pending step's candidates, or those who fulfil.
    var candidates: [String]
    var status: ApplicationStatus
    var version: Int
    var submittedAt: Date
    var fulfilment: Fulfilment
    var letter: Letter?
    var timeline: [TimelineEntry]?

    init(_ application: Application, standing: ApplicationStanding, timeline: [TimelineEntry]?) {
        id = application.id
        kind = application.kind
        title = application.form.title
        applicant = application.applicant
        applicantName = standing.applicantName
        departmentId = application.departmentId
        form = application.form
        attachments = application.attachments
        route = application.route
        if let index = application.currentStep, application.status == .inReview {
            currentStep = application.route[index].step.rawValue
        } else {
            currentStep = application.status == .approved ? "fulfil" : nil
        }
        candidates = standing.mayActNow
        status = application.status
        version = application.version
        submittedAt = application.submittedAt
        fulfilment = application.fulfilment
        letter = standing.letter
        self.timeline = timeline
    }
}

/// Who may read an application: its applicant; those who may read every application (auditors, admins, the
/// office); anyone the route names by role and scope, before or after their step; the keepers of its seals.
/// Everyone else gets 404, as if it did not exist.
enum ApplicationAccess {
    /// The roles that read every application and register (at school scope).
    static let readersOfAll: [Role] = [.auditor, .admin, .officeReviewer]

    static func mayReadAll(_ account: Account) -> Bool {
        readersOfAll.contains { account.holds($0, scope: RoleGrant.schoolScope) }
    }

    static func mayRead(_ application: Application, account: Account, state: HallState) -> Bool {
        if application.applicant == account.id || mayReadAll(account) { return true }
        if application.route.contains(where: { account.holds($0.role, scope: $0.scope) || $0.decidedBy == account.id }) {
            return true
        }
        return application.sealIds.contains { state.seals[$0]?.custodian == account.id }
    }
}
