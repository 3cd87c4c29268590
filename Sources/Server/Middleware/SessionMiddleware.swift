import Foundation
import HTTPTypes
import Hummingbird

/// Recognises the session a request carries, as `Authorization: Bearer <token>` or the `sid` cookie, and sets
/// `context.session`. An unknown or expired token is treated as no login (the route then answers 401 when it
/// needs one). A command that came with the cookie must also carry the session's `X-CSRF-Token`, or it gets 403.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = HallContext
    let sessions: SessionStore

    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    static let idempotencyHeader = HTTPField.Name("Idempotency-Key")!

    func handle(_ request: Request, context: HallContext, next: (Request, HallContext) async throws -> Response)
        async throws -> Response
    {
        var context = context
        if let (token, viaCookie) = Self.token(in: request), let record = try sessions.record(for: token) {
            if viaCookie, ![.get, .head, .options].contains(request.method),
                !sessions.accepts(csrfToken: request.headers[Self.csrfHeader], for: record)
            {
                throw Problem(.forbidden, code: "csrf", detail: "缺少或错误的 X-CSRF-Token")
            }
            context.session = SessionGrant(account: record.account, viaCookie: viaCookie)
        }
        return try await next(request, context)
    }

    /// The session token the request carries, and whether it came in the cookie.
    static func token(in request: Request) -> (String, Bool)? {
        if let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer ") {
            return (String(authorization.dropFirst("Bearer ".count)), false)
        }
        for cookie in request.headers[values: .cookie].flatMap({ $0.split(separator: ";") }) {
            let pair = cookie.trimmingCharacters(in: .whitespaces)
            if pair.hasPrefix("sid=") { return (String(pair.dropFirst(4)), true) }
        }
        return nil
    }
}
