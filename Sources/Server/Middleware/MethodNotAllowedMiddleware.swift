import HTTPTypes
import Hummingbird

/// Answers 405 with `Allow` when a request's path is served but not for its method: Hummingbird's router alone
/// says 404, as if the address did not exist (RFC 9110 §15.5.6). Only the router's own 404 is looked at — a
/// handler's "no such application" stays a 404.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = HallContext
    let routes: RouteTable

    func handle(_ request: Request, context: HallContext, next: (Request, HallContext) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = routes.methods(serving: request.uri.path)
            guard !allowed.isEmpty else { throw error }
            var headers = HTTPFields()
            headers[.allow] = allowed.joined(separator: ", ")
            throw Problem(
                .methodNotAllowed, code: "method-not-allowed",
                detail: "此地址不支持 \(request.method.rawValue) 方法，可用：\(allowed.joined(separator: "、"))", headers: headers)
        }
    }
}
