import Hummingbird

/// Makes every read see every command answered before it. An application's commands are answered once durable,
/// without waiting for the read models (their answers come from the decider), so a `GET` or `HEAD` waits, when
/// the read models are behind, until they reflect the last command answered that way (`HallStore`); when they
/// are not behind — whenever no command was answered in the last moments — it costs one atomic load and one
/// uncontended lock. `/health` and `/metrics` never wait: they must answer, and tell, when the read models are
/// stuck.
struct ReadAfterWriteMiddleware: RouterMiddleware {
    typealias Context = HallContext
    let store: HallStore

    /// The paths that answer without waiting.
    static let unblocked: Set<String> = ["/health", "/metrics"]

    func handle(_ request: Request, context: HallContext, next: (Request, HallContext) async throws -> Response)
        async throws -> Response
    {
        if request.method == .get || request.method == .head, !Self.unblocked.contains(request.uri.path) {
            try await store.readModelsCaughtUp()
        }
        return try await next(request, context)
    }
}
