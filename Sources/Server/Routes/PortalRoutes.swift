import Events
import Foundation
import Hummingbird
import NIOCore
import Projections
import Synchronization

/// The public routes: health, metrics, the portal's figures and the 办事中心 catalog.
struct PortalRoutes {
    let store: HallStore
    let metrics: HallMetrics

    struct Health: Encodable {
        var status: String
        var position: UInt64
    }

    struct Stats: Encodable {
        var enteredItems, onlineItems, departments, inProgress, completed, total: Int
        var onlinePercent: Double
        var position: UInt64
    }

    struct Group: Encodable {
        var id, name: String
        var itemCount: Int
    }

    struct Item: Encodable {
        var id, name, departmentId, departmentName, theme: String
        var audience: Audience
        var online: Bool
        var visits: Int
        var kind: ApplicationKind?
        var guide: ItemGuide?
    }

    struct ItemPage: Encodable {
        var items: [Item]
        var total: Int
    }

    func register(in routes: RouteTable) {
        routes.get("/health") { _, _ in
            try HallJSON.response(Health(status: "ok", position: store.log.head.position))
        }
        routes.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: .init(string: metrics.render(store: store))))
        }
        // The home page's figures change only with the log: the answer is made once per head position.
        let statsAnswer = Mutex<(position: UInt64, body: ByteBuffer)?>(nil)
        routes.get("/api/portal/stats") { _, _ in
            let head = store.log.head.position
            if let cached = statsAnswer.withLock({ $0 }), cached.position == head {
                return HallJSON.response(body: cached.body)
            }
            let (figures, position) = try PortalFiguresProjection.read(from: store.engine)
            let body = ByteBuffer(bytes: try HallJSON.encoder.encode(
                Stats(
                    enteredItems: figures.enteredItems, onlineItems: figures.onlineItems,
                    departments: figures.departments, inProgress: figures.inProgress, completed: figures.completed,
                    total: figures.total, onlinePercent: figures.onlinePercent, position: position)))
            statsAnswer.withLock { $0 = (position, body) }
            return HallJSON.response(body: body)
        }
        routes.get("/api/catalog/departments") { request, _ in
            let audience = try Query(request: request).value("audience", as: Audience.self)
            return try HallJSON.response(
                try CatalogProjection.departments(from: store.engine, audience: audience).map(Self.group))
        }
        routes.get("/api/catalog/themes") { request, _ in
            let audience = try Query(request: request).value("audience", as: Audience.self)
            return try HallJSON.response(try CatalogProjection.themes(from: store.engine, audience: audience).map(Self.group))
        }
        routes.get("/api/catalog/items") { request, _ in
            let query = Query(request: request)
            let catalogQuery = CatalogQuery(
                audience: try query.value("audience", as: Audience.self), department: query.string("department"),
                theme: query.string("theme"), search: query.string("q"), onlineOnly: try query.bool("onlineOnly"),
                sort: try query.value("sort", as: CatalogQuery.Sort.self) ?? .default,
                page: try query.int("page", default: 1, range: 1...100_000),
                pageSize: try query.int("pageSize", default: 20, range: 1...100))
            let (items, total) = try CatalogProjection.items(from: store.engine, catalogQuery)
            let names = store.processor.withState { $0.departments.mapValues(\.name) }
            return try HallJSON.response(ItemPage(items: items.map { item($0.item, names, guide: false) }, total: total))
        }
        routes.get("/api/catalog/items/{id}") { _, context in
            let id = context.parameter("id")
            guard let entry = try CatalogProjection.item(id, from: store.engine), !entry.withdrawn else {
                throw Problem.notFound("没有事项 \(id)")
            }
            // Opening a guide is a visit (the catalog's 访问量): recorded like any other fact.
            _ = try await store.execute(.visitItem(id: id), actor: context.session?.account ?? "anonymous")
            var counted = entry.item
            counted.visits += 1
            let names = store.processor.withState { $0.departments.mapValues(\.name) }
            return try HallJSON.response(item(counted, names, guide: true))
        }
    }

    private static func group(_ group: CatalogGroup) -> Group {
        Group(id: group.id, name: group.name, itemCount: group.itemCount)
    }

    private func item(_ item: CatalogItem, _ names: [String: String], guide: Bool) -> Item {
        Item(
            id: item.id, name: item.name, departmentId: item.departmentId,
            departmentName: names[item.departmentId] ?? item.departmentId, theme: item.theme, audience: item.audience,
            online: item.online, visits: item.visits, kind: item.kind, guide: guide ? item.guide : nil)
    }
}
