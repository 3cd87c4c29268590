import Events

/// The figures on the hall's home page (DOMAIN.md §4): entered and online items, departments with items,
/// applications in progress, completed and in all, and the online coverage.
public struct PortalFigures: Codable, Sendable, Equatable {
    public var enteredItems = 0
    public var onlineItems = 0
    public var departments = 0
    public var inProgress = 0
    public var completed = 0
    public var total = 0

    public init() {}

    /// 在线办理覆盖率: online ÷ entered, in percent with one decimal.
    public var onlinePercent: Double {
        enteredItems == 0 ? 0 : (Double(onlineItems) * 1000 / Double(enteredItems)).rounded() / 10
    }
}

/// Keeps `PortalFigures` as one row, with the per-item, per-department and per-application rows it needs to
/// count transitions exactly once. An application's row lives while it is in progress: a finished one (completed,
/// cancelled or rejected) cannot move again, so its row goes when it finishes.
public struct PortalFiguresProjection: Projection {
    public var name: String { "portal-figures" }
    /// 2: a finished application's row is dropped (a 1M-event history kept 180,000 of them, 5,000 in progress).
    public var version: Int { 2 }

    public init() {}

    struct ItemRow: Codable {
        var departmentId: String
        var online: Bool
        var live: Bool
    }

    @_specialize(where Store == TableRows)
    @_specialize(where Store == MemoryRows)
    public func apply<Store: ProjectionRows>(_ event: RecordedEvent, to store: inout Store) throws {
        switch event.event {
        case .itemPublished(let published):
            try changeFigures(&store) { figures, store in
                let item = ItemRow(departmentId: published.item.departmentId, online: published.item.online, live: true)
                try count(item, by: 1, in: &figures, store: &store)
                try store.setRow(item, key: "item/\(published.item.id)")
            }
        case .itemEdited(let edit):
            guard var item = try liveItem(edit.id, store: store),
                let department = edit.departmentId, department != item.departmentId
            else { return }
            try changeFigures(&store) { figures, store in
                try count(item, by: -1, in: &figures, store: &store)
                item.departmentId = department
                try count(item, by: 1, in: &figures, store: &store)
                try store.setRow(item, key: "item/\(edit.id)")
            }
        case .itemOnlineChanged(let change):
            guard var item = try liveItem(change.id, store: store), item.online != change.online else { return }
            try changeFigures(&store) { figures, store in
                figures.onlineItems += change.online ? 1 : -1
                item.online = change.online
                try store.setRow(item, key: "item/\(change.id)")
            }
        case .itemWithdrawn(let withdrawn):
            guard var item = try liveItem(withdrawn.id, store: store) else { return }
            try changeFigures(&store) { figures, store in
                try count(item, by: -1, in: &figures, store: &store)
                item.live = false
                try store.setRow(item, key: "item/\(withdrawn.id)")
            }
        case .applicationSubmitted(let submitted):
            // The closure takes the id alone: taking the event made a copy of all it holds.
            let id = submitted.applicationId
            try changeFigures(&store) { figures, store in
                figures.inProgress += 1
                figures.total += 1
                try store.setRow(true, key: "application/\(id)")
            }
        case .applicationCompleted(let application):
            try finish(application.applicationId, store: &store)
        case .applicationCancelled(let action):
            try finish(action.applicationId, store: &store)
        case .stepRejected(let decision):
            try finish(decision.applicationId, store: &store)
        default:
            return
        }
    }

    /// Runs `change` on the figures, and stores them if it changed them: the figures' row is read only for the
    /// events that can move them (most events, a decision for one, cannot).
    private func changeFigures<Store: ProjectionRows>(
        _ store: inout Store, _ change: (inout PortalFigures, inout Store) throws -> Void
    ) throws {
        var figures = try store.row(PortalFigures.self, key: "figures") ?? PortalFigures()
        let before = figures
        try change(&figures, &store)
        if figures != before {
            try store.setRow(figures, key: "figures")
        }
    }

    /// Reads the figures served now.
    public static func read(from engine: ProjectionEngine) throws -> (figures: PortalFigures, position: UInt64) {
        try engine.read("portal-figures") { reader, table, position in
            (try reader.row(PortalFigures.self, table: table, key: "figures") ?? PortalFigures(), position)
        }
    }

    private func liveItem(_ id: String, store: some ProjectionRows) throws -> ItemRow? {
        guard let item = try store.row(ItemRow.self, key: "item/\(id)"), item.live else { return nil }
        return item
    }

    /// Adds (or, with -1, removes) a live item to the counts, its department's included.
    private func count(
        _ item: ItemRow, by change: Int, in figures: inout PortalFigures, store: inout some ProjectionRows
    ) throws {
        figures.enteredItems += change
        if item.online { figures.onlineItems += change }
        let key: RowKey = "department/\(item.departmentId)"
        let before = try store.row(Int.self, key: key) ?? 0
        let after = before + change
        if before == 0 && after > 0 { figures.departments += 1 }
        if before > 0 && after == 0 { figures.departments -= 1 }
        try store.setRow(after == 0 ? nil : after, key: key)
    }

    /// Moves an application from in progress to completed, once: its row (in progress) goes.
    private func finish(_ id: String, store: inout some ProjectionRows) throws {
        let key: RowKey = "application/\(id)"
        guard try store.row(Bool.self, key: key) != nil else { return }
        try changeFigures(&store) { figures, store in
            figures.inProgress -= 1
            figures.completed += 1
            try store.setRow(Bool?.none, key: key)
        }
    }
}
