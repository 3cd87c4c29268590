import Events
import Foundation
import Hummingbird
import Projections

/// Activation, login, logout and the personal centre's summary (`/api/me`).
struct AccountRoutes {
    let store: HallStore

    struct Activation: Decodable {
        var account: String
        var activationCode: String
        var password: String
    }

    struct Login: Decodable {
        var account: String
        var password: String
    }

    struct SessionAnswer: Encodable {
        var token, csrfToken, account, name, departmentId: String
        var roles: [RoleGrant]
        var expiresAt: Date
    }

    struct Me: Encodable {
        var account, name, departmentId: String
        var departmentName: String?
        var roles: [RoleGrant]
        var todoCount, doneCount, initiatedCount: Int
    }

    func register(in routes: RouteTable) {
        routes.post("/api/accounts/activate", activate)
        routes.post("/api/session", login)
        routes.delete("/api/session") { request, context in
            _ = try context.requireAccount()
            if let (token, _) = SessionMiddleware.token(in: request) { try await store.sessions.close(token: token) }
            return Response(status: .noContent, headers: [.setCookie: "sid=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"])
        }
        routes.get("/api/me") { _, context in
            let id = try context.requireAccount()
            let (account, departmentName) = store.processor.withState { ($0.accounts[id], $0.departments[$0.accounts[id]?.departmentId ?? ""]?.name) }
            guard let account else { throw Problem.unauthenticated }
            let queues = try QueuesProjection.queues(of: id, from: store.engine)
            return try HallJSON.response(
                Me(
                    account: id, name: account.name, departmentId: account.departmentId, departmentName: departmentName,
                    roles: account.roles, todoCount: queues.todo.count, doneCount: queues.done.count,
                    initiatedCount: queues.initiated.count))
        }
    }

    /// Sets the first password with the one-time code the admin handed out. The code is checked and consumed
    /// inside the writer's unit, so two activations racing with one code cannot both succeed.
    @Sendable func activate(_ request: Request, context: HallContext) async throws -> Response {
        let body = try await JSONBody.decode(Activation.self, from: request)
        guard body.password.count >= 8 else { throw Problem.invalid("password", "密码至少 8 位") }
        guard body.password.count <= 128 else { throw Problem.invalid("password", "密码不得超过 128 位") }
        let keys = ["account:\(body.account)", "address:\(context.remoteAddress)"]
        try refuseWhenThrottled(keys)
        let hash = try await store.hasher.hash(body.password)
        let code = body.activationCode
        let account = body.account
        do {
            _ = try await store.execute(.activateAccount(account: account), actor: account) { session in
                guard try session.consumeActivationCode(code, of: account) else { throw ActivationRefused() }
                try session.setPasswordHash(hash, of: account)
            }
        } catch is ActivationRefused {
            store.throttle.recordFailure(keys)
            throw Problem.invalid("activationCode", "账号或激活码不正确")
        } catch is Rejection {
            // Unknown, or already active: the answer does not tell which.
            store.throttle.recordFailure(keys)
            throw Problem.invalid("activationCode", "账号或激活码不正确")
        }
        return Response(status: .noContent)
    }

    private struct ActivationRefused: Error {}

    /// Checks 学/工号 and password; answers the bearer token, the CSRF token and who the person is, and sets the
    /// `sid` cookie. Failures do not say whether the account exists.
    @Sendable func login(_ request: Request, context: HallContext) async throws -> Response {
        let body = try await JSONBody.decode(Login.self, from: request)
        let keys = ["account:\(body.account)", "address:\(context.remoteAddress)"]
        try refuseWhenThrottled(keys)
        let stored = try store.log.readTables { reader in
            try reader.value(SecretTables.passwords, key: SecretTables.key(body.account))
        }
        let account = store.account(body.account)
        guard let stored, let account, account.isActivated,
            await PasswordHasher.verify(body.password, against: String(decoding: stored, as: UTF8.self))
        else {
            store.throttle.recordFailure(keys)
            throw Problem(.unauthorized, code: "bad-credentials", detail: "账号或密码不正确")
        }
        store.throttle.recordSuccess("account:\(body.account)")
        let opened = try await store.sessions.open(for: account.id)
        let cookie = "sid=\(opened.token); Path=/; HttpOnly; SameSite=Lax; Max-Age=\(Int(SessionStore.lifetime))"
        return try HallJSON.response(
            SessionAnswer(
                token: opened.token, csrfToken: opened.csrfToken, account: account.id, name: account.name,
                departmentId: account.departmentId, roles: account.roles, expiresAt: opened.expiresAt),
            headers: [.setCookie: cookie])
    }

    private func refuseWhenThrottled(_ keys: [String]) throws {
        if let seconds = store.throttle.retryAfter(keys) {
            throw Problem(
                .tooManyRequests, code: "too-many-attempts", detail: "尝试次数过多，请 \(seconds) 秒后再试",
                headers: [.retryAfter: "\(seconds)"])
        }
    }
}
