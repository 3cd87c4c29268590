import Foundation
import Hummingbird
import Logging

/// The outermost middleware: gives each request an id (echoed as `X-Request-Id` and carried by its logs),
/// turns every error into problem+json, and logs what the server did not foresee.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = HallContext

    func handle(_ request: Request, context: HallContext, next: (Request, HallContext) async throws -> Response)
        async throws -> Response
    {
        var context = context
        let requestId = SecretTables.randomToken(byteCount: 8)
        context.logger[metadataKey: "request"] = "\(requestId)"
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
