import Events
import Foundation

/// How long one step of one kind of application takes: from the moment it waits to the moment it is decided
/// (for approval steps) or the application completes (for `fulfil`, from approval).
public struct StepDuration: Codable, Sendable, Equatable {
    public var kind: ApplicationKind
    /// A step id (`dept-head`…) or `fulfil`.
    public var step: String
    /// How many were decided (or fulfilled).
    public var count = 0
    public var totalSeconds: Double = 0
    public var maxSeconds: Double = 0
    /// How many took at most an hour, a day, three days, and longer.
    public var withinHour = 0
    public var withinDay = 0
    public var withinThreeDays = 0
    public var longer = 0

    public var averageSeconds: Double { count == 0 ? 0 : totalSeconds / Double(count) }

    mutating func add(_ seconds: Double) {
        count += 1
        totalSeconds += seconds
        maxSeconds = max(maxSeconds, seconds)
        switch seconds {
        case ...3600: withinHour += 1
        case ...86_400: withinDay += 1
        case ...(3 * 86_400): withinThreeDays += 1
        default: longer += 1
        }
    }
}

/// Keeps step durations per kind and step, for the admin's statistics: each application's waiting step and
/// since when, and per (kind, step) the count, total, maximum and a coarse histogram. A step ended without a
/// decision (withdrawn, cancelled, refused) is not counted.
public struct StepDurationsProjection: Projection {
    public var name: String { "step-durations" }
    public var version: Int { 1 }

    public init() {}

    /// What is waiting in an application now.
    struct Waiting: Codable {
        var kind: ApplicationKind
        var step: String
        var since: Date
        var route: [StepID]
    }

    @_specialize(where Store == TableRows)
    @_specialize(where Store == MemoryRows)
    public func apply<Store: ProjectionRows>(_ recorded: RecordedEvent, to store: inout Store) throws {
        let at = recorded.recordedAt
        switch recorded.event {
        case .applicationSubmitted(let event), .applicationResubmitted(let event):
            let route = event.route.map(\.step)
            let waiting = Waiting(kind: event.form.kind, step: route.first?.rawValue ?? "fulfil", since: at, route: route)
            try store.setRow(waiting, key: "waiting/\(event.applicationId)")
        case .stepApproved(let event):
            // The next step waits from now, or after the last one the fulfilment: the row changes in place (the
            // closure takes the index alone, not the event, which it would copy).
            let next = event.stepIndex + 1
            var ended: Waiting?
            try store.updateRow(Waiting.self, key: "waiting/\(event.applicationId)") { waiting in
                ended = waiting
                waiting.step = next < waiting.route.count ? waiting.route[next].rawValue : "fulfil"
                waiting.since = at
            }
            if let ended { try count(ended, endedAt: at, &store) }
        case .stepRejected(let event), .stepReturned(let event):
            try end(event.applicationId, at: at, &store)
        case .applicationApproved(let event):
            try store.updateRow(Waiting.self, key: "waiting/\(event.applicationId)") { waiting in
                waiting.step = "fulfil"
                waiting.since = at
            }
        case .applicationCompleted(let event):
            try end(event.applicationId, at: at, &store)
        case .applicationWithdrawn(let event), .applicationCancelled(let event):
            try store.setRow(Waiting?.none, key: "waiting/\(event.applicationId)")
        case .fulfilmentRefused(let event):
            try store.setRow(Waiting?.none, key: "waiting/\(event.applicationId)")
        default:
            return
        }
    }

    /// Counts the duration of what waits in application `id`, ended at `at`, and drops its row: nothing waits.
    private func end(_ id: String, at: Date, _ store: inout some ProjectionRows) throws {
        guard let waiting = try store.row(Waiting.self, key: "waiting/\(id)") else { return }
        try count(waiting, endedAt: at, &store)
        try store.setRow(Waiting?.none, key: "waiting/\(id)")
    }

    /// Counts the duration of `waiting`, ended at `at`, in its kind and step.
    private func count(_ waiting: Waiting, endedAt at: Date, _ store: inout some ProjectionRows) throws {
        let key: RowKey = "duration/\(waiting.kind.rawValue)/\(waiting.step)"
        let seconds = at.timeIntervalSince(waiting.since)
        if try !store.updateRow(StepDuration.self, key: key, { $0.add(seconds) }) {
            var first = StepDuration(kind: waiting.kind, step: waiting.step)
            first.add(seconds)
            try store.setRow(first, key: key)
        }
    }

    /// Every (kind, step) measured so far, by kind and step.
    public static func durations(from engine: ProjectionEngine) throws -> [StepDuration] {
        try engine.read("step-durations") { reader, table in
            try reader.rows(StepDuration.self, table: table, prefix: "duration/").map(\.value)
        }
    }
}
