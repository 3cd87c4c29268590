import Events
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The seal-hall HTTP service: API.md's endpoints over a `HallStore`.
public enum HallServer {
    /// Builds the router with every route and the middleware stack (outermost first): metrics, problem+json
    /// and request ids, 405 for a served path asked with another method, sessions, reads waiting for the read
    /// models to reflect every command answered.
    public static func router(store: HallStore, metrics: HallMetrics) -> Router<HallContext> {
        let router = Router(context: HallContext.self)
        let routes = RouteTable(router: router)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: MethodNotAllowedMiddleware(routes: routes))
        router.add(middleware: SessionMiddleware(sessions: store.sessions))
        router.add(middleware: ReadAfterWriteMiddleware(store: store))
        let attachments = Attachments(directory: store.log.directory + "/attachments", store: store)
        PortalRoutes(store: store, metrics: metrics).register(in: routes)
        AccountRoutes(store: store).register(in: routes)
        ApplicationRoutes(store: store, metrics: metrics).register(in: routes)
        RegisterRoutes(store: store, metrics: metrics).register(in: routes)
        AuditRoutes(store: store).register(in: routes)
        AdminRoutes(store: store, metrics: metrics).register(in: routes)
        attachments.register(in: routes)
        routes.get("/openapi.json") { _, _ in OpenAPIDocument.response() }
        registered.withLock { $0 = routes.entries }
        return router
    }

    /// The routes the last built router serves, as `METHOD /path/{param}`: checked against the OpenAPI document.
    public static var registeredRoutes: [String] { registered.withLock { $0 } }
    private static let registered = Mutex<[String]>([])

    /// The whole service: the store first, then the HTTP server, so that on SIGTERM/SIGINT the server stops
    /// accepting and finishes its requests before the store closes.
    public static func run(
        store: HallStore, host: String, port: Int, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let metrics = HallMetrics()
        let app = Application(
            router: router(store: store, metrics: metrics),
            configuration: .init(address: .hostname(host, port: port), serverName: "seal-hall"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: store), .init(service: app)], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}

/// Registers routes on the router and remembers each, so the OpenAPI document can be held to what is served and
/// a path asked with the wrong method answered 405. Routes are registered while the router is built, before it
/// serves: afterwards the table is only read.
final class RouteTable: @unchecked Sendable {
    let router: Router<HallContext>
    private(set) var entries: [String] = []
    /// Each route's method and path segments, a `{parameter}` segment matching any one segment.
    private var patterns: [(method: String, segments: [Substring])] = []

    init(router: Router<HallContext>) {
        self.router = router
    }

    typealias Handler = @Sendable (Request, HallContext) async throws -> Response

    func on(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        entries.append("\(method.rawValue) \(path)")
        patterns.append((method.rawValue, path.split(separator: "/")))
        router.on(RouterPath(path), method: method, use: handler)
    }

    /// The methods the routes matching `path` answer, in alphabetical order; none for a path no route serves.
    func methods(serving path: String) -> [String] {
        let segments = path.split(separator: "/")
        var methods = [String]()
        for pattern in patterns where pattern.segments.count == segments.count && !methods.contains(pattern.method) {
            let matches = zip(pattern.segments, segments).allSatisfy { expected, actual in
                expected == actual || (expected.first == "{" && expected.last == "}")
            }
            if matches { methods.append(pattern.method) }
        }
        return methods.sorted()
    }

    func get(_ path: String, _ handler: @escaping Handler) { on(.get, path, handler) }
    func post(_ path: String, _ handler: @escaping Handler) { on(.post, path, handler) }
    func delete(_ path: String, _ handler: @escaping Handler) { on(.delete, path, handler) }
    func patch(_ path: String, _ handler: @escaping Handler) { on(.patch, path, handler) }
}
