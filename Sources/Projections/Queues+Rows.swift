import Events
import Foundation

extension QueuesProjection {
    /// A line of 流程待办 an application offers: whose queue shows it — the holders of a role in a scope, or
    /// (`keeper`) the keeper of a seal —, the step or fulfilment it shows, and since when. Its row's key,
    /// `pending/<role>/<scope>/<application>`, is made only when the row is written.
    struct PendingLine: Codable, Equatable {
        var role: String
        var scope: String
        var step: String
        var since: Date

        init(role: String, scope: String, _ step: String, since: Date) {
            self.role = role
            self.scope = scope
            self.step = step
            self.since = since
        }

        /// The role of a line waiting for a seal's keeper, its scope the seal.
        static let keeperRole = "keeper"

        /// The line waiting for the keeper of `seal`.
        static func keeper(_ seal: String, _ step: String, since: Date) -> PendingLine {
            PendingLine(role: keeperRole, scope: seal, step, since: since)
        }

        /// Whether the line waits for the keeper of `seal`.
        func waitsForKeeper(of seal: String) -> Bool {
            role == Self.keeperRole && scope == seal
        }

        /// Its row's key in application `id`.
        func key(in id: String) -> String {
            "pending/\(role)/\(scope)/\(id)"
        }
    }

    /// An application not yet finished, as the queues hold it (at `application/<id>`): what its lines show, its
    /// status, and the 流程待办 lines it offers now. Its members are those lines and the applicant's 流程发起 line.
    struct OpenApplication: RowGroup, Equatable {
        var id: String
        var kind: ApplicationKind
        var title: String
        var applicant: String
        var route: [RouteStep]
        var seals: [String]
        var takeOut: Bool
        var submittedAt: Date
        var status: ApplicationStatus
        var pending: [PendingLine]

        func forEachMember(_ body: (String, QueueItem) throws -> Void) rethrows {
            for line in pending { try body(line.key(in: id), item(step: line.step, since: line.since)) }
            try body(mineKey, mine(status: status))
        }

        /// The key of the applicant's 流程发起 line.
        var mineKey: String { "mine/\(applicant)/\(id)" }

        /// The applicant's 流程发起 line, showing `status`.
        func mine(status: ApplicationStatus) -> QueueItem {
            var line = item(step: "", since: submittedAt)
            line.outcome = status.rawValue
            return line
        }

        /// A line about the application.
        func item(step: String, since: Date) -> QueueItem {
            QueueItem(applicationId: id, kind: kind, title: title, applicant: applicant, step: step, since: since, outcome: nil)
        }

        /// The decider's 已办 line for step `step`, decided `decision` at `at`.
        func decisionLine(_ step: StepID, _ decision: Decision, at: Date) -> QueueItem {
            var line = item(step: step.rawValue, since: at)
            line.outcome = decision.rawValue
            return line
        }

        /// Waits from `at` for the step after `index`, or for nothing once the route is done.
        mutating func approve(step index: Int, at: Date) {
            pending = QueuesProjection.stepLines(route, index + 1, since: at)
        }

        /// Approved at `at`: waits for the keepers of its seals to affix them (a seal use), or for the office to
        /// fulfil it (any other kind).
        mutating func approve(at: Date) {
            status = .approved
            pending = kind == .sealUse
                ? Set(seals).sorted().map { PendingLine.keeper($0, "affix:\($0)", since: at) }
                : [PendingLine(role: Role.officeReviewer.rawValue, scope: RoleGrant.schoolScope, "fulfil", since: at)]
        }

        /// Offers no line any more, and shows the applicant it is back with them.
        mutating func sendBack() {
            pending = []
            status = .returned
        }
    }

    /// The writes the queues make, in one table.
    struct Rows {
        func set<T: Codable & Sendable>(_ value: T?, _ key: RowKey, _ store: inout some ProjectionRows) throws {
            try store.setRow(value, key: key)
        }

        /// Changes the open application `id` (nil when there is none), in place.
        func change(_ id: String, _ store: inout some ProjectionRows, _ body: (inout OpenApplication?) -> Void) throws {
            try store.updateGroup(OpenApplication.self, key: "application/\(id)", body)
        }

        /// Takes a withdrawn (or refused) application's lines away, and tells the applicant.
        func sendBack(_ id: String, _ store: inout some ProjectionRows) throws {
            try change(id, &store) { $0?.sendBack() }
        }

        /// Ends a finished (completed, rejected, cancelled) application: its lines go with its row, as no later
        /// event moves them, and the applicant's line, written out once more, shows `status`. Returns it as it
        /// was, nil when there is none.
        @discardableResult
        func finish(_ id: String, status: ApplicationStatus, _ store: inout some ProjectionRows) throws
            -> OpenApplication?
        {
            var finished: OpenApplication?
            try change(id, &store) { application in finished = application.take() }
            guard let finished else { return nil }
            // Never read back: written once, and never changed again.
            try store.setUnreadRow(finished.mine(status: status), key: RowKey(finished.mineKey))
            return finished
        }

        /// Writes the decider's 已办 line for `event`, when there was an application to decide.
        func decided(_ line: QueueItem?, _ event: StepDecided, _ store: inout some ProjectionRows) throws {
            guard let line else { return }
            // Written once and never read back, unlike a pending line (gone at the next step).
            try store.setUnreadRow(line, key: "done/\(event.by)/\(event.applicationId)/\(event.stepIndex)")
        }
    }

    /// The queues of `account` as served now: what its grants and seals offer it (never its own applications),
    /// what it decided, what it submitted — newest first.
    public static func queues(of account: String, from engine: ProjectionEngine) throws -> PersonalQueues {
        try engine.read("queues") { reader, table in
            var offered = [String: QueueItem]()
            for (key, _) in try reader.rows(Bool.self, table: table, prefix: "grant/\(account)/") {
                let grant = key.dropFirst("grant/\(account)/".count)
                for (line, item) in try reader.rows(QueueItem.self, table: table, prefix: "pending/\(grant)/") {
                    offered[line] = item
                }
            }
            for (key, _) in try reader.rows(Bool.self, table: table, prefix: "custodian/\(account)/") {
                let seal = key.dropFirst("custodian/\(account)/".count)
                for (line, item) in try reader.rows(QueueItem.self, table: table, prefix: "pending/\(PendingLine.keeperRole)/\(seal)/") {
                    offered[line] = item
                }
            }
            let newestFirst = { (a: QueueItem, b: QueueItem) in (a.since, a.applicationId) > (b.since, b.applicationId) }
            return PersonalQueues(
                todo: offered.values.filter { $0.applicant != account }.sorted(by: newestFirst),
                done: try reader.rows(QueueItem.self, table: table, prefix: "done/\(account)/").map(\.value)
                    .sorted(by: newestFirst),
                initiated: try reader.rows(QueueItem.self, table: table, prefix: "mine/\(account)/").map(\.value)
                    .sorted(by: newestFirst))
        }
    }
}
