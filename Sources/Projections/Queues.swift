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
    /// 3: an open application's row holds its pending lines and status (`OpenApplication`); 4: a pending line
    /// holds its role and scope rather than its key.
    public var version: Int { 4 }

    public init() {}

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
            // Made before the closure, which then holds the application alone rather than a copy of the event.
            let form = event.form
            let opened = OpenApplication(
                id: event.applicationId, kind: form.kind, title: form.title, applicant: event.applicant,
                route: event.route, seals: Self.sealsToUse(form),
                takeOut: { if case .sealUse(let use) = form { use.takeOut } else { false } }(),
                submittedAt: at, status: .inReview, pending: Self.stepLines(event.route, 0, since: at))
            try rows.change(event.applicationId, &store) { $0 = opened }
        case .stepApproved(let event):
            // The lines are made from the application where it is held: a copy of it retained all it holds. The
            // closure takes the step alone, not the event, which it would copy.
            let (step, index) = (event.step, event.stepIndex)
            var line: QueueItem?
            try rows.change(event.applicationId, &store) { application in
                line = application?.decisionLine(step, .approve, at: at)
                application?.approve(step: index, at: at)
            }
            try rows.decided(line, event, &store)
        case .stepRejected(let event):
            let finished = try rows.finish(event.applicationId, status: .rejected, &store)
            try rows.decided(finished?.decisionLine(event.step, .reject, at: at), event, &store)
        case .stepReturned(let event):
            let step = event.step
            var line: QueueItem?
            try rows.change(event.applicationId, &store) { application in
                line = application?.decisionLine(step, .return, at: at)
                application?.sendBack()
            }
            try rows.decided(line, event, &store)
        case .applicationApproved(let event):
            try rows.change(event.applicationId, &store) { $0?.approve(at: at) }
        case .sealAffixed(let event):
            // A seal taken out is checked in later: its line stays until then.
            let seal = event.seal
            try rows.change(event.applicationId, &store) { application in
                guard application?.takeOut == false else { return }
                application?.pending.removeAll { $0.waitsForKeeper(of: seal) }
            }
        case .sealCheckedIn(let event):
            let seal = event.seal
            try rows.change(event.applicationId, &store) { application in
                application?.pending.removeAll { $0.waitsForKeeper(of: seal) }
            }
        case .applicationWithdrawn(let event):
            try rows.sendBack(event.applicationId, &store)
        case .fulfilmentRefused(let event):
            try rows.sendBack(event.applicationId, &store)
        case .applicationCancelled(let event):
            try rows.finish(event.applicationId, status: .cancelled, &store)
        case .applicationCompleted(let event):
            try rows.finish(event.applicationId, status: .completed, &store)
        default:
            return
        }
    }

    /// The pending line of step `index` of `route`, waiting from `since`, if the route has one.
    static func stepLines(_ route: [RouteStep], _ index: Int, since: Date) -> [PendingLine] {
        guard route.indices.contains(index) else { return [] }
        let step = route[index]
        return [PendingLine(role: step.role.rawValue, scope: step.scope, step.step.rawValue, since: since)]
    }

    /// A line a clerk recognises the application by.
    static func sealsToUse(_ form: ApplicationForm) -> [String] {
        if case .sealUse(let form) = form { return form.seals }
        return []
    }
}
