import Events
import Foundation
import Hummingbird

/// Runs a command for the signed-in account: checks the `Idempotency-Key` header (1–128 visible ASCII
/// characters), hands the command to the serial decider, counts it, and answers after the commit is durable.
struct CommandRunner {
    let store: HallStore
    let metrics: HallMetrics

    /// Runs `command`; with `answeredAhead`, returns without waiting for the read models (`HallStore.execute`).
    func run(
        _ command: Command, name: String, request: Request, context: HallContext, answeredAhead: Bool = false
    ) async throws -> CommandResult {
        let actor = try context.requireAccount()
        let key = try Self.idempotencyKey(of: request)
        do {
            let result = try await store.execute(command, actor: actor, idempotencyKey: key, answeredAhead: answeredAhead)
            metrics.recordCommand(name, outcome: result.isDuplicate ? "repeated" : "accepted")
            return result
        } catch let rejection as Rejection {
            metrics.recordCommand(name, outcome: rejection.code)
            throw rejection
        }
    }

    static func idempotencyKey(of request: Request) throws -> String? {
        guard let key = request.headers[SessionMiddleware.idempotencyHeader] else { return nil }
        guard (1...128).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7e).contains($0) }) else {
            throw Problem(.badRequest, code: "malformed", detail: "Idempotency-Key 须为 1 至 128 个可见 ASCII 字符")
        }
        return key
    }
}
