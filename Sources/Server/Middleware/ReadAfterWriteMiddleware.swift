import Hummingbird

/// Makes every read see every command answered before it. An application's commands are answered once durable,
/// without waiting for the read models (their answers come from the decider), so a `GET` or `HEAD` waits, when
/// the read models are behind, until they reflect the last command answered that way (`HallStore`); when they
/// are not behind — whenever no command was answered in the last moments — it costs one atomic load and one
/// uncontended lock.
struct ReadAfterWriteMiddleware: RouterMiddleware {
    typealias Context = HallContext
    let store: HallStore

    func handle(_ request: Request, context: HallContext, next: (Request, HallContext) async throws -> Response)
        async throws -> Response
    {
        if request.method == .get || request.method == .head {
            try await store.readModelsCaughtUp()
        }
        return try await next(request, context)
    }
}
