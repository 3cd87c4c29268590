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
/// count transitions exactly once.
public struct PortalFiguresProjection: Projection {
    public let name = "portal-figures"
    public let version = 1

    public init() {}

    struct ItemRow: Codable {
        var departmentId: String
        var online: Bool
        var live: Bool
    }

    public func apply(_ event: RecordedEvent, table: String, session: inout LogWriteSession) throws {
        var figures = try session.row(PortalFigures.self, table: table, key: "figures") ?? PortalFigures()
        let before = figures
        switch event.event {
        case .itemPublished(let published):
            let item = ItemRow(departmentId: published.item.departmentId, online: published.item.online, live: true)
            try count(item, by: 1, in: &figures, table: table, session: &session)
            try session.setRow(item, table: table, key: "item/\(published.item.id)")
        case .itemEdited(let edit):
            guard var item = try liveItem(edit.id, table: table, session: session),
                let department = edit.departmentId, department != item.departmentId
            else { return }
            try count(item, by: -1, in: &figures, table: table, session: &session)
            item.departmentId = department
            try count(item, by: 1, in: &figures, table: table, session: &session)
            try session.setRow(item, table: table, key: "item/\(edit.id)")
        case .itemOnlineChanged(let change):
            guard var item = try liveItem(change.id, table: table, session: session), item.online != change.online else { return }
            figures.onlineItems += change.online ? 1 : -1
            item.online = change.online
            try session.setRow(item, table: table, key: "item/\(change.id)")
        case .itemWithdrawn(let withdrawn):
            guard var item = try liveItem(withdrawn.id, table: table, session: session) else { return }
            try count(item, by: -1, in: &figures, table: table, session: &session)
            item.live = false
            try session.setRow(item, table: table, key: "item/\(withdrawn.id)")
        case .applicationSubmitted(let submitted):
            figures.inProgress += 1
            figures.total += 1
            try session.setRow(false, table: table, key: "application/\(submitted.applicationId)")
        case .applicationCompleted(let application):
            try finish(application.applicationId, in: &figures, table: table, session: &session)
        case .applicationCancelled(let action):
            try finish(action.applicationId, in: &figures, table: table, session: &session)
        case .stepRejected(let decision):
            try finish(decision.applicationId, in: &figures, table: table, session: &session)
        default:
            return
        }
        if figures != before {
            try session.setRow(figures, table: table, key: "figures")
        }
    }

    /// Reads the figures served now.
    public static func read(from engine: ProjectionEngine) throws -> (figures: PortalFigures, position: UInt64) {
        try engine.read("portal-figures") { reader, table in
            (try reader.row(PortalFigures.self, table: table, key: "figures") ?? PortalFigures(), reader.headPosition)
        }
    }

    private func liveItem(_ id: String, table: String, session: LogWriteSession) throws -> ItemRow? {
        guard let item = try session.row(ItemRow.self, table: table, key: "item/\(id)"), item.live else { return nil }
        return item
    }

    /// Adds (or, with -1, removes) a live item to the counts, its department's included.
    private func count(
        _ item: ItemRow, by change: Int, in figures: inout PortalFigures, table: String, session: inout LogWriteSession
    ) throws {
        figures.enteredItems += change
        if item.online { figures.onlineItems += change }
        let key = "department/\(item.departmentId)"
        let before = try session.row(Int.self, table: table, key: key) ?? 0
        let after = before + change
        if before == 0 && after > 0 { figures.departments += 1 }
        if before > 0 && after == 0 { figures.departments -= 1 }
        try session.setRow(after == 0 ? nil : after, table: table, key: key)
    }

    /// Moves an application from in progress to completed, once.
    private func finish(_ id: String, in figures: inout PortalFigures, table: String, session: inout LogWriteSession) throws {
        let key = "application/\(id)"
        guard try session.row(Bool.self, table: table, key: key) == false else { return }
        figures.inProgress -= 1
        figures.completed += 1
        try session.setRow(true, table: table, key: key)
    }
}
