import Events
import Foundation

extension QueuesProjection {
    /// A line of 流程待办 an application offers: its row's key, and the step or fulfilment it shows.
    struct PendingLine {
        var key: String
        var step: String

        init(_ key: String, _ step: String) {
            self.key = key
            self.step = step
        }
    }

    /// The writes the queues make, in one table.
    struct Rows {
        func set<T: Codable & Sendable>(_ value: T?, _ key: String, _ store: inout some ProjectionRows) throws {
            try store.setRow(value, key: key)
        }

        func application(_ id: String, _ store: some ProjectionRows) throws -> ApplicationRow? {
            try store.row(ApplicationRow.self, key: "application/\(id)")
        }

        /// Makes `lines` (of distinct keys) the application's pending lines: the others go, new ones wait from `at`.
        func replacePending(
            of id: String, _ application: inout ApplicationRow, with lines: [PendingLine], at: Date,
            _ store: inout some ProjectionRows
        ) throws {
            for key in application.pending where !lines.contains(where: { $0.key == key }) {
                try set(QueueItem?.none, key, &store)
            }
            for line in lines where !application.pending.contains(line.key) {
                try set(item(id, application, step: line.step, since: at), line.key, &store)
            }
            application.pending = lines.count > 1 ? lines.map(\.key).sorted() : lines.map(\.key)
            try set(application, "application/\(id)", &store)
        }

        func removePending(_ key: String, of id: String, _ application: inout ApplicationRow, _ store: inout some ProjectionRows)
            throws
        {
            guard application.pending.contains(key) else { return }
            try set(QueueItem?.none, key, &store)
            application.pending.removeAll { $0 == key }
            try set(application, "application/\(id)", &store)
        }

        /// Drops what the projection remembers of a finished (completed, rejected, cancelled) application: no
        /// later event moves its lines.
        func forget(_ id: String, _ store: inout some ProjectionRows) throws {
            try set(ApplicationRow?.none, "application/\(id)", &store)
        }

        /// The decider's 已办 line.
        func decided(
            _ event: StepDecided, _ application: ApplicationRow, decision: Decision, at: Date,
            _ store: inout some ProjectionRows
        ) throws {
            var line = item(event.applicationId, application, step: event.step.rawValue, since: at)
            line.outcome = decision.rawValue
            // Written once and never read back, unlike a pending line (gone at the next step) or the applicant's
            // (rewritten at each change of status).
            try store.setUnreadRow(line, key: "done/\(event.by)/\(event.applicationId)/\(event.stepIndex)")
        }

        /// The applicant's 流程发起 line, with the application's status.
        func mine(
            _ id: String, _ application: ApplicationRow, status: ApplicationStatus, at: Date,
            _ store: inout some ProjectionRows
        ) throws {
            var line = item(id, application, step: "", since: application.submittedAt)
            line.outcome = status.rawValue
            try set(line, "mine/\(application.applicant)/\(id)", &store)
        }

        private func item(_ id: String, _ application: ApplicationRow, step: String, since: Date) -> QueueItem {
            QueueItem(
                applicationId: id, kind: application.kind, title: application.title, applicant: application.applicant,
                step: step, since: since, outcome: nil)
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
                for (line, item) in try reader.rows(QueueItem.self, table: table, prefix: "pending/keeper/\(seal)/") {
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
