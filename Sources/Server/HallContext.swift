import Events
import Hummingbird
import Logging
import NIOCore

/// The request context of seal-hall: who is asking, once the session middleware has recognised them, and where
/// the request came from (for the login throttle).
public struct HallContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in session, when the request carried a valid token or cookie.
    public var session: SessionGrant?
    /// The peer's address, without the port.
    public let remoteAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Attachments may be up to 20 MiB; JSON bodies are held to 1 MiB where they are read (`JSONBody`).
    public var maxUploadSize: Int { Attachments.maxSize }

    /// The signed-in account, or 401.
    public func requireAccount() throws -> String {
        guard let session else { throw Problem.unauthenticated }
        return session.account
    }

    /// The signed-in account when it holds one of `roles` for the whole school: 401 without a login, 403 with
    /// `refusal` otherwise.
    func requireSchoolRole(_ roles: [Role], in store: HallStore, refusal: String) throws {
        let account = try requireAccount()
        guard let holder = store.account(account), roles.contains(where: { holder.holds($0, scope: RoleGrant.schoolScope) })
        else { throw Problem.forbidden(refusal) }
    }
}
