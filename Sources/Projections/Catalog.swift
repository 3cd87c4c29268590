import Events
import Foundation

/// An item as the 办事中心 lists it: the catalog item, and where it stands in the default order. Its fields
/// read through (`entry.name`, `entry.visits`, …).
@dynamicMemberLookup
public struct CatalogEntry: Codable, Sendable, Equatable {
    public var item: CatalogItem
    /// The position that published it: the default order.
    public var order: UInt64

    public subscript<T>(dynamicMember keyPath: WritableKeyPath<CatalogItem, T>) -> T {
        get { item[keyPath: keyPath] }
        set { item[keyPath: keyPath] = newValue }
    }
}

/// A department or theme with how many items it offers an audience.
public struct CatalogGroup: Sendable, Equatable {
    public var id: String
    public var name: String
    public var itemCount: Int
}

/// What the catalog is asked for (API.md: `GET /api/catalog/items`).
public struct CatalogQuery: Sendable, Equatable {
    public enum Sort: String, Sendable { case `default`, visits }

    public var audience: Audience?
    public var department: String?
    public var theme: String?
    /// A part of the item's name (Chinese or not), matched as a substring.
    public var search: String?
    public var onlineOnly = false
    public var sort = Sort.default
    public var page = 1
    public var pageSize = 20

    public init(
        audience: Audience? = nil, department: String? = nil, theme: String? = nil, search: String? = nil,
        onlineOnly: Bool = false, sort: Sort = .default, page: Int = 1, pageSize: Int = 20
    ) {
        self.audience = audience
        self.department = department
        self.theme = theme
        self.search = search
        self.onlineOnly = onlineOnly
        self.sort = sort
        self.page = page
        self.pageSize = pageSize
    }
}

/// Keeps the catalog of the 办事中心: every published item with its department, theme, audience, online flag,
/// guide and visits. The catalog is small (hundreds of items), so filtering, search and paging happen on read.
public struct CatalogProjection: Projection {
    public var name: String { "catalog" }
    public var version: Int { 1 }

    public init() {}

    @_specialize(where Store == TableRows)
    @_specialize(where Store == MemoryRows)
    public func apply<Store: ProjectionRows>(_ recorded: RecordedEvent, to store: inout Store) throws {
        func update(_ id: String, _ change: (inout CatalogEntry) -> Void) throws {
            try store.updateRow(CatalogEntry.self, key: "item/\(id)", change)
        }
        switch recorded.event {
        case .departmentCreated(let event):
            try store.setRow(event.name, key: "department/\(event.id)")
        case .itemPublished(let event):
            let entry = CatalogEntry(item: event.item, order: recorded.position)
            try store.setRow(entry, key: "item/\(event.item.id)")
        case .itemEdited(let edit):
            try update(edit.id) { entry in
                entry.name = edit.name ?? entry.name
                entry.departmentId = edit.departmentId ?? entry.departmentId
                entry.theme = edit.theme ?? entry.theme
                entry.audience = edit.audience ?? entry.audience
                entry.guide = edit.guide ?? entry.guide
            }
        case .itemOnlineChanged(let event): try update(event.id) { $0.online = event.online }
        case .itemWithdrawn(let event): try update(event.id) { $0.withdrawn = true }
        case .itemVisited(let event): try update(event.id) { $0.visits += 1 }
        default: return
        }
    }

    // MARK: Reading

    /// The items `query` asks for, one page of them, and how many there are in all.
    public static func items(from engine: ProjectionEngine, _ query: CatalogQuery) throws -> (items: [CatalogEntry], total: Int) {
        let matching = try live(from: engine).filter { entry in
            (query.audience == nil || entry.audience == query.audience)
                && (query.department == nil || entry.departmentId == query.department)
                && (query.theme == nil || entry.theme == query.theme)
                && (query.search.map { $0.isEmpty || entry.name.contains($0) } ?? true)
                && (!query.onlineOnly || entry.online)
        }.sorted { a, b in
            query.sort == .visits && a.visits != b.visits ? a.visits > b.visits : a.order < b.order
        }
        let size = min(max(query.pageSize, 1), 100)
        let start = (max(query.page, 1) - 1) * size
        return (Array(matching.dropFirst(start).prefix(size)), matching.count)
    }

    /// One item with its guide, withdrawn ones included (a link to a withdrawn item still explains it).
    public static func item(_ id: String, from engine: ProjectionEngine) throws -> CatalogEntry? {
        try engine.read("catalog") { reader, table in try reader.row(CatalogEntry.self, table: table, key: "item/\(id)") }
    }

    /// The departments offering items to `audience` (all audiences when nil), with their counts, by id.
    public static func departments(from engine: ProjectionEngine, audience: Audience? = nil) throws -> [CatalogGroup] {
        let names = try engine.read("catalog") { reader, table in
            Dictionary(uniqueKeysWithValues: try reader.rows(String.self, table: table, prefix: "department/").map {
                (String($0.key.dropFirst("department/".count)), $0.value)
            })
        }
        return try groups(from: engine, audience: audience, by: \.departmentId) { names[$0] ?? $0 }
    }

    /// The service themes (按服务主题) offering items to `audience`, with their counts, by name.
    public static func themes(from engine: ProjectionEngine, audience: Audience? = nil) throws -> [CatalogGroup] {
        try groups(from: engine, audience: audience, by: \.theme) { $0 }
    }

    private static func groups(
        from engine: ProjectionEngine, audience: Audience?, by key: KeyPath<CatalogEntry, String>,
        name: (String) -> String
    ) throws -> [CatalogGroup] {
        let counts = Dictionary(grouping: try live(from: engine).filter { audience == nil || $0.audience == audience }) {
            $0[keyPath: key]
        }
        return counts.map { CatalogGroup(id: $0.key, name: name($0.key), itemCount: $0.value.count) }.sorted { $0.id < $1.id }
    }

    private static func live(from engine: ProjectionEngine) throws -> [CatalogEntry] {
        try engine.read("catalog") { reader, table in
            try reader.rows(CatalogEntry.self, table: table, prefix: "item/").map(\.value).filter { !$0.withdrawn }
        }
    }
}
