import Foundation
import Hummingbird
import Logging

/// The outermost middleware: echoes the request's id as `X-Request-Id` (Hummingbird's, which its logs carry as
/// `hb.request.id`), turns every error into problem+json, and logs what the server did not foresee.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = HallContext

    func handle(_ request: Request, context: HallContext, next: (Request, HallContext) async throws -> Response)
        async throws -> Response
    {
        let requestId = context.logger[metadataKey: "hb.request.id"]?.description ?? SecretTables.randomToken(byteCount: 8)
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let problem = Problem.from(error)
            if problem.status == .internalServerError {
                context.logger.error("unexpected error", metadata: ["error": "\(String(reflecting: error))"])
            }
            response = try problem.response(from: request, context: context)
        }
        response.headers[.init("X-Request-Id")!] = requestId
        return response
    }
}
