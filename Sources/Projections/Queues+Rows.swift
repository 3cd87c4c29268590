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

        /// Records a submitted application: its row, the lines it offers, and the applicant's line.
        func submitted(
            _ id: String, _ application: ApplicationRow, offering lines: [PendingLine], _ store: inout some ProjectionRows
        ) throws {
            var application = application
            for line in lines {
                try set(item(id, application, step: line.step, since: application.submittedAt), line.key, &store)
            }
            application.pending = lines.map(\.key)
            try set(application, "application/\(id)", &store)
            try mine(id, application, status: .inReview, &store)
        }

        /// Makes the lines `offered` gives the application (of distinct keys) its pending lines: the others go, new
        /// ones wait from `at`. Returns the application, nil (changing nothing) when there is none.
        @discardableResult
        func movePending(
            of id: String, at: Date, _ store: inout some ProjectionRows, to offered: (ApplicationRow) -> [PendingLine]
        ) throws -> ApplicationRow? {
            var old = [String](), lines = [PendingLine]()
            // In place: one lookup, and the row is neither copied out nor boxed again.
            let changed = try store.updateRow(ApplicationRow.self, key: "application/\(id)") { application in
                lines = offered(application)
                old = application.pending
                application.pending = lines.count > 1 ? lines.map(\.key).sorted() : lines.map(\.key)
            }
            guard let application = changed else { return nil }
            for key in old where !lines.contains(where: { $0.key == key }) {
                try set(QueueItem?.none, key, &store)
            }
            for line in lines where !old.contains(line.key) {
                try set(item(id, application, step: line.step, since: at), line.key, &store)
            }
            return application
        }

        /// Takes a returned (or withdrawn, or refused) application's lines away, and tells the applicant.
        @discardableResult
        func sendBack(_ id: String, at: Date, _ store: inout some ProjectionRows) throws -> ApplicationRow? {
            guard let application = try movePending(of: id, at: at, &store, to: { _ in [] }) else { return nil }
            try mine(id, application, status: .returned, &store)
            return application
        }

        /// Removes the pending line `key` of the application, when it has it and `applies` to the application.
        func removePending(
            _ key: String, of id: String, _ store: inout some ProjectionRows,
            when applies: (ApplicationRow) -> Bool = { _ in true }
        ) throws {
            var removed = false
            try store.updateRow(ApplicationRow.self, key: "application/\(id)") { application in
                guard applies(application), let index = application.pending.firstIndex(of: key) else { return }
                application.pending.remove(at: index)
                removed = true
            }
            if removed { try set(QueueItem?.none, key, &store) }
        }

        /// Ends a finished (completed, rejected, cancelled) application: its lines go, the applicant's line shows
        /// `status`, and its row is dropped, as no later event moves its lines. Returns it, nil when there is none.
        @discardableResult
        func finish(_ id: String, status: ApplicationStatus, _ store: inout some ProjectionRows) throws
            -> ApplicationRow?
        {
            guard let application = try store.row(ApplicationRow.self, key: "application/\(id)") else { return nil }
            for key in application.pending { try set(QueueItem?.none, key, &store) }
            try mine(id, application, status: status, &store)
            try set(ApplicationRow?.none, "application/\(id)", &store)
            return application
        }

        /// The decider's 已办 line.
        func decided(
            _ event: StepDecided, _ application: ApplicationRow, decision: Decision, at: Date,
            _ store: inout some ProjectionRows
        ) throws {
            var line = item(event.applicationId, application, step: event.step.rawValue, since: at)
            line.outcome = decision.rawValue
            // Written once and never read back, unlike a pending line (gone at the next step).
            try store.setUnreadRow(line, key: "done/\(event.by)/\(event.applicationId)/\(event.stepIndex)")
        }

        /// The applicant's 流程发起 line, with the application's status.
        func mine(
            _ id: String, _ application: ApplicationRow, status: ApplicationStatus, _ store: inout some ProjectionRows
        ) throws {
            var line = item(id, application, step: "", since: application.submittedAt)
            line.outcome = status.rawValue
            // Never read back, and rewritten at each change of status until the application is finished: held (and
            // changed in place) while it is open, written out once with its final status.
            let key = "mine/\(application.applicant)/\(id)"
            guard status.isTerminal else { return try store.setRow(line, key: key) }
            try store.setRow(QueueItem?.none, key: key)
            try store.setUnreadRow(line, key: key)
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
