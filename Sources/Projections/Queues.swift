import Events
import Foundation

/// One line of a personal queue: an application and what it waits for (流程待办), what was decided on it
/// (已办), or where it stands (流程发起).
public struct QueueItem: Codable, Sendable, Equatable {
    public var applicationId: String
    public var kind: ApplicationKind
    public var title: String
    public var applicant: String
    /// The step or fulfilment the line is about: a step id (`dept-head`…), `fulfil`, or `affix:<seal>`.
    public var step: String
    /// Since when it waits, or when it was decided.
    public var since: Date
    /// For 已办 the decision, for 流程发起 the application's status.
    public var outcome: String?
}

/// A person's three queues, newest first.
public struct PersonalQueues: Sendable, Equatable {
    public var todo: [QueueItem]
    public var done: [QueueItem]
    public var initiated: [QueueItem]
}

/// Keeps the personal centre's queues: every pending step offered to the holders of its role and scope, every
/// fulfilment waiting for a seal's keeper or for the office, every decision an account made, every application
/// it submitted.
public struct QueuesProjection: Projection {
    public var name: String { "queues" }
    /// 2: a finished application's row is dropped (no event moves its lines any more).
    public var version: Int { 2 }

    public init() {}

    /// What the projection remembers of an application to move its lines.
    struct ApplicationRow: Codable {
        var kind: ApplicationKind
        var title: String
        var applicant: String
        var route: [RouteStep]
        var seals: [String]
        var takeOut: Bool
        var submittedAt: Date
        /// The keys of the pending lines it has now.
        var pending: [String]
    }

    @_specialize(where Store == TableRows)
    @_specialize(where Store == MemoryRows)
    public func apply<Store: ProjectionRows>(_ recorded: RecordedEvent, to store: inout Store) throws {
        let at = recorded.recordedAt
        let rows = Rows()
        switch recorded.event {
        case .accountRegistered(let event):
            for grant in event.roles { try rows.set(true, "grant/\(event.account)/\(grant.role.rawValue)/\(grant.scope)", &store) }
        case .roleGranted(let event):
            try rows.set(true, "grant/\(event.account)/\(event.grant.role.rawValue)/\(event.grant.scope)", &store)
        case .roleRevoked(let event):
            try rows.set(Bool?.none, "grant/\(event.account)/\(event.grant.role.rawValue)/\(event.grant.scope)", &store)
        case .sealRegistered(let event):
            if let custodian = event.custodian { try rows.set(true, "custodian/\(custodian)/\(event.seal)", &store) }
        case .sealActivated(let event):
            try rows.set(true, "custodian/\(event.custodian)/\(event.seal)", &store)
        case .sealCustodianChanged(let event):
            if let from = event.from { try rows.set(Bool?.none, "custodian/\(from)/\(event.seal)", &store) }
            try rows.set(true, "custodian/\(event.to)/\(event.seal)", &store)
        case .applicationSubmitted(let event), .applicationResubmitted(let event):
            let form = event.form
            let application = ApplicationRow(
                kind: form.kind, title: form.title, applicant: event.applicant, route: event.route,
                seals: Self.sealsToUse(form), takeOut: { if case .sealUse(let use) = form { use.takeOut } else { false } }(),
                submittedAt: at, pending: [])
            let lines = Self.stepLines(event.route, 0, event.applicationId)
            try rows.submitted(event.applicationId, application, offering: lines, &store)
        case .stepApproved(let event):
            guard let application = try rows.movePending(of: event.applicationId, at: at, &store, to: {
                Self.stepLines($0.route, event.stepIndex + 1, event.applicationId)
            }) else { return }
            try rows.decided(event, application, decision: .approve, at: at, &store)
        case .stepRejected(let event):
            guard let application = try rows.finish(event.applicationId, status: .rejected, &store) else { return }
            try rows.decided(event, application, decision: .reject, at: at, &store)
        case .stepReturned(let event):
            guard let application = try rows.sendBack(event.applicationId, at: at, &store) else { return }
            try rows.decided(event, application, decision: .return, at: at, &store)
        case .applicationApproved(let event):
            let office = "pending/\(Role.officeReviewer.rawValue)/\(RoleGrant.schoolScope)/\(event.applicationId)"
            guard let application = try rows.movePending(of: event.applicationId, at: at, &store, to: { application in
                application.kind == .sealUse
                    ? Set(application.seals).map { PendingLine("pending/keeper/\($0)/\(event.applicationId)", "affix:\($0)") }
                    : [PendingLine(office, "fulfil")]
            }) else { return }
            try rows.mine(event.applicationId, application, status: .approved, &store)
        case .sealAffixed(let event):
            // A seal taken out is checked in later: its line stays until then.
            try rows.removePending("pending/keeper/\(event.seal)/\(event.applicationId)", of: event.applicationId, &store) {
                !$0.takeOut
            }
        case .sealCheckedIn(let event):
            try rows.removePending("pending/keeper/\(event.seal)/\(event.applicationId)", of: event.applicationId, &store)
        case .applicationWithdrawn(let event):
            try rows.sendBack(event.applicationId, at: at, &store)
        case .fulfilmentRefused(let event):
            try rows.sendBack(event.applicationId, at: at, &store)
        case .applicationCancelled(let event):
            try rows.finish(event.applicationId, status: .cancelled, &store)
        case .applicationCompleted(let event):
            try rows.finish(event.applicationId, status: .completed, &store)
        default:
            return
        }
    }

    /// The pending line of step `index` of `route`, if the route has one.
    static func stepLines(_ route: [RouteStep], _ index: Int, _ applicationId: String) -> [PendingLine] {
        guard route.indices.contains(index) else { return [] }
        let step = route[index]
        return [PendingLine("pending/\(step.role.rawValue)/\(step.scope)/\(applicationId)", step.step.rawValue)]
    }

    /// A line a clerk recognises the application by.
    static func sealsToUse(_ form: ApplicationForm) -> [String] {
        if case .sealUse(let form) = form { return form.seals }
        return []
    }
}
