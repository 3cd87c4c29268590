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
            var application = ApplicationRow(
                kind: form.kind, title: form.title, applicant: event.applicant, route: event.route,
                seals: Self.sealsToUse(form), takeOut: { if case .sealUse(let use) = form { use.takeOut } else { false } }(),
                submittedAt: at, pending: [])
            try rows.replacePending(of: event.applicationId, &application, with: Self.stepLines(event.route, 0, event.applicationId), at: at, &store)
            try rows.mine(event.applicationId, application, status: .inReview, at: at, &store)
        case .stepApproved(let event):
            guard var application = try rows.application(event.applicationId, store) else { return }
            try rows.decided(event, application, decision: .approve, at: at, &store)
            let pending = Self.stepLines(application.route, event.stepIndex + 1, event.applicationId)
            try rows.replacePending(of: event.applicationId, &application, with: pending, at: at, &store)
        case .stepRejected(let event), .stepReturned(let event):
            guard var application = try rows.application(event.applicationId, store) else { return }
            let rejected = { if case .stepRejected = recorded.event { true } else { false } }()
            try rows.decided(event, application, decision: rejected ? .reject : .return, at: at, &store)
            try rows.replacePending(of: event.applicationId, &application, with: [], at: at, &store)
            try rows.mine(event.applicationId, application, status: rejected ? .rejected : .returned, at: at, &store)
            if rejected { try rows.forget(event.applicationId, &store) }
        case .applicationApproved(let event):
            guard var application = try rows.application(event.applicationId, store) else { return }
            let office = "pending/\(Role.officeReviewer.rawValue)/\(RoleGrant.schoolScope)/\(event.applicationId)"
            let fulfilment = application.kind == .sealUse
                ? Set(application.seals).map { PendingLine("pending/keeper/\($0)/\(event.applicationId)", "affix:\($0)") }
                : [PendingLine(office, "fulfil")]
            try rows.replacePending(of: event.applicationId, &application, with: fulfilment, at: at, &store)
            try rows.mine(event.applicationId, application, status: .approved, at: at, &store)
        case .sealAffixed(let event):
            guard var application = try rows.application(event.applicationId, store), !application.takeOut else { return }
            try rows.removePending("pending/keeper/\(event.seal)/\(event.applicationId)", of: event.applicationId, &application, &store)
        case .sealCheckedIn(let event):
            guard var application = try rows.application(event.applicationId, store) else { return }
            try rows.removePending("pending/keeper/\(event.seal)/\(event.applicationId)", of: event.applicationId, &application, &store)
        case .applicationWithdrawn(let event), .applicationCancelled(let event):
            guard var application = try rows.application(event.applicationId, store) else { return }
            try rows.replacePending(of: event.applicationId, &application, with: [], at: at, &store)
            let cancelled = { if case .applicationCancelled = recorded.event { true } else { false } }()
            try rows.mine(event.applicationId, application, status: cancelled ? .cancelled : .returned, at: at, &store)
            if cancelled { try rows.forget(event.applicationId, &store) }
        case .fulfilmentRefused(let event):
            guard var application = try rows.application(event.applicationId, store) else { return }
            try rows.replacePending(of: event.applicationId, &application, with: [], at: at, &store)
            try rows.mine(event.applicationId, application, status: .returned, at: at, &store)
        case .applicationCompleted(let event):
            guard var application = try rows.application(event.applicationId, store) else { return }
            try rows.replacePending(of: event.applicationId, &application, with: [], at: at, &store)
            try rows.mine(event.applicationId, application, status: .completed, at: at, &store)
            try rows.forget(event.applicationId, &store)
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
