import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Server
import TestSupport
import Testing

/// A real hall for tests: a new store in a temporary directory, bootstrapped with the repository's seeds (the
/// demo accounts' password is `sealhall-demo`), served over loopback by the real HTTP server.
struct LiveHall {
    static let adminPassword = "admin-password-1"
    static let demoPassword = "sealhall-demo"

    /// Runs `body` against a live server on a fresh seeded store; the store is closed afterwards.
    static func run<R: Sendable>(seeded: Bool = true, directory: String? = nil, _ body: @Sendable (HallClient, HallStore) async throws -> R)
        async throws -> R
    {
        if let directory { return try await serve(directory: directory, seeded: seeded, body) }
        return try await withTemporaryDirectory { directory in try await serve(directory: directory, seeded: seeded, body) }
    }

    static func serve<R: Sendable>(directory: String, seeded: Bool, _ body: @Sendable (HallClient, HallStore) async throws -> R)
        async throws -> R
    {
        let store = try await HallStore.open(directory: directory, hasher: .fast)
        do {
            _ = try await Bootstrap(
                adminPassword: adminPassword, seedsDirectory: seeded ? FixtureScenarios.seedsDirectory : nil
            ).run(on: store)
            let app = Application(
                router: HallServer.router(store: store, metrics: HallMetrics()),
                configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            let result = try await app.test(.live) { client in try await body(HallClient(client: client), store) }
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}

/// What the server answered.
struct Reply: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: ByteBuffer

    var text: String { String(buffer: body) }
    /// The body as a JSON object (empty when it is not one).
    var json: [String: any Sendable] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: any Sendable]) ?? [:]
    }
    var array: [[String: any Sendable]] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [[String: any Sendable]]) ?? []
    }
    var code: String? { json["code"] as? String }
}

/// A client that speaks for the demo accounts: it logs each in once (with the demo password) and sends its
/// bearer token with every request made "as" it.
final class HallClient: Sendable {
    let client: any TestClientProtocol
    private let tokens = LockedValue<[String: String]>([:])

    init(client: any TestClientProtocol) {
        self.client = client
    }

    func token(of account: String) async throws -> String {
        if let token = tokens.update({ $0[account] }) { return token }
        let password = account == "admin" ? LiveHall.adminPassword : LiveHall.demoPassword
        let reply = try await call(.post, "/api/session", json: ["account": account, "password": password])
        guard reply.status == .ok, let token = reply.json["token"] as? String else {
            throw HallClientError.loginFailed(account, reply.text)
        }
        tokens.update { $0[account] = token }
        return token
    }

    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ path: String, as account: String? = nil, json: Any? = nil,
        headers: HTTPFields = [:], body: ByteBuffer? = nil
    ) async throws -> Reply {
        var headers = headers
        var payload = body
        if let json {
            payload = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        }
        if let account { headers[.authorization] = "Bearer \(try await token(of: account))" }
        let response = try await client.executeRequest(uri: path, method: method, headers: headers, body: payload)
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }
}

enum HallClientError: Error {
    case loginFailed(String, String)
}
