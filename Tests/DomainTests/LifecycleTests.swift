import Foundation
import Testing
import TestSupport

@testable import Events

@Suite("Application lifecycle")
struct LifecycleTests {
    /// Brings a fresh letter application (route: dept-head → office-review) into `status`.
    static func world(with status: ApplicationStatus) throws -> (World, String) {
        var world = try Cast.world()
        let id = try world.submit(Cast.letter())
        func run(_ command: Command, as actor: String) throws { try world.run(command, as: actor) }
        let version = { world.application(id).version }
        switch status {
        case .inReview: break
        case .approved: try world.approveAll(id)
        case .completed:
            try world.approveAll(id)
            try world.fulfil(id, .issue, as: Cast.office)
        case .returned:
            try run(.decide(applicationId: id, decision: .return, comment: "请补充材料", expectedVersion: version()), as: Cast.head)
        case .rejected:
            try run(.decide(applicationId: id, decision: .reject, comment: "不同意", expectedVersion: version()), as: Cast.head)
        case .cancelled:
            try run(.cancel(applicationId: id, comment: nil, expectedVersion: version()), as: Cast.applicant)
        }
        #expect(world.application(id).status == status)
        return (world, id)
    }

    enum Action: String, CaseIterable, Sendable {
        case approve, reject, `return`, withdraw, resubmit, cancel, issue

        func command(_ id: String, version: Int) -> (Command, String) {
            switch self {
            case .approve: (.decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: version), Cast.head)
            case .reject: (.decide(applicationId: id, decision: .reject, comment: "不同意", expectedVersion: version), Cast.head)
            case .return: (.decide(applicationId: id, decision: .return, comment: "请修改", expectedVersion: version), Cast.head)
            case .withdraw: (.withdraw(applicationId: id, comment: nil, expectedVersion: version), Cast.applicant)
            case .resubmit:
                (.resubmit(applicationId: id, form: Cast.letter(validDays: 7), attachments: [], expectedVersion: version), Cast.applicant)
            case .cancel: (.cancel(applicationId: id, comment: nil, expectedVersion: version), Cast.applicant)
            case .issue: (.fulfil(applicationId: id, action: .issue, expectedVersion: version), Cast.office)
            }
        }
    }

    /// The event types an allowed action records, and the status it leaves; nil where it is not allowed.
    static func expected(_ action: Action, in status: ApplicationStatus) -> ([String], ApplicationStatus)? {
        switch (action, status) {
        case (.approve, .inReview): (["StepApproved"], .inReview)
        case (.reject, .inReview): (["StepRejected"], .rejected)
        case (.return, .inReview): (["StepReturned"], .returned)
        case (.withdraw, .inReview): (["ApplicationWithdrawn"], .returned)
        case (.resubmit, .returned): (["ApplicationResubmitted"], .inReview)
        case (.cancel, .inReview), (.cancel, .returned): (["ApplicationCancelled"], .cancelled)
        case (.issue, .approved): (["LetterIssued", "ApplicationCompleted"], .completed)
        default: nil
        }
    }

    static let statuses: [ApplicationStatus] = [.inReview, .approved, .completed, .returned, .rejected, .cancelled]

    @Test("every action in every status: the allowed record their events, the others are refused and change nothing",
        arguments: statuses, Action.allCases)
    func matrix(status: ApplicationStatus, action: Action) throws {
        var (world, id) = try Self.world(with: status)
        let version = world.application(id).version
        let (command, actor) = action.command(id, version: version)
        if let (types, after) = Self.expected(action, in: status) {
            let events = try world.run(command, as: actor)
            #expect(events.map(EventCodec.typeName) == types)
            #expect(world.application(id).status == after)
            #expect(world.application(id).version == version + events.count)
        } else {
            let rejection = world.refuse(command, as: actor)
            #expect(rejection?.code == "invalid-transition", "\(action) in \(status): \(String(describing: rejection))")
        }
    }

    @Test("a stale version is refused with a conflict, whoever sends it")
    func staleVersion() throws {
        var world = try Cast.world()
        let id = try world.submit(Cast.letter())
        let stale = world.application(id).version
        try world.run(.decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: stale), as: Cast.head)
        let second = world.refuse(.decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: stale), as: Cast.office)
        #expect(second == .versionConflict(expected: stale, actual: stale + 1))
        #expect(world.refuse(.withdraw(applicationId: id, comment: nil, expectedVersion: stale), as: Cast.applicant)?.code == "version-conflict")
    }

    @Test("rejecting or returning needs a comment")
    func commentsRequired() throws {
        var world = try Cast.world()
        let id = try world.submit(Cast.letter())
        for decision in [Decision.reject, .return] {
            let rejection = world.refuse(.decide(applicationId: id, decision: decision, comment: "  ", expectedVersion: 1), as: Cast.head)
            #expect(rejection?.code == "validation")
        }
    }

    @Test("resubmitting restarts the route, recomputed from the new form")
    func resubmissionReroutes() throws {
        var world = try Cast.world()
        let id = try world.submit(Cast.letter())
        try world.run(.decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: 1), as: Cast.head)
        try world.run(.decide(applicationId: id, decision: .return, comment: "有效期需延长", expectedVersion: 2), as: Cast.office)
        try world.run(.resubmit(applicationId: id, form: Cast.letter(validDays: 20), attachments: [], expectedVersion: 3), as: Cast.applicant)
        let application = world.application(id)
        #expect(application.route.map(\.step) == [.deptHead, .officeReview, .leaderApproval])
        #expect(application.route.allSatisfy { $0.decision == nil })
        #expect(application.currentStep == 0 && application.status == .inReview)
    }

    @Test("unknown applications are not found")
    func unknownApplication() throws {
        var world = try Cast.world()
        #expect(world.refuse(.withdraw(applicationId: "A2026-999999", comment: nil, expectedVersion: 1), as: Cast.applicant)?.code == "not-found")
    }
}
