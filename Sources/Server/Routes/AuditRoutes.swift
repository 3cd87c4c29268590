import Events
import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle

/// For auditors and admins: raw log entries, the hash chain's verification, and a live stream of new entries
/// as Server-Sent Events.
struct AuditRoutes {
    let store: HallStore

    struct Verification: Encodable {
        var ok: Bool
        var checked, headPosition: UInt64
        var headHash: String
        var firstBadPosition: UInt64?
        var problem: String?
    }

    func register(in routes: RouteTable) {
        routes.get("/api/audit/events") { request, context in
            try requireAuditor(context)
            let query = Query(request: request)
            let from = try query.position("from") ?? 1
            let limit = try query.int("limit", default: 100, range: 1...1000)
            let lines = try store.log.entries(from: max(from, 1), limit: limit).map { entry in
                entry.jsonObject(renderPayload: EventCodec.jsonPayload(of:))
            }
            let data = try JSONSerialization.data(withJSONObject: lines, options: [.sortedKeys, .withoutEscapingSlashes])
            return HallJSON.response(body: ByteBuffer(bytes: data))
        }
        routes.get("/api/audit/verify") { _, context in
            try requireAuditor(context)
            let report = try store.log.verify()
            return try HallJSON.response(
                Verification(
                    ok: report.ok, checked: report.checked, headPosition: report.headPosition,
                    headHash: report.headHash.hex, firstBadPosition: report.firstBadPosition, problem: report.problem))
        }
        routes.get("/api/events/stream", stream)
    }

    /// `GET /api/events/stream?from=N` (or `Last-Event-ID: N-1`): every entry from N on, then each new one as it
    /// commits, as `id: position`, `event: Type`, `data: {entry as JSON}`. It ends when the client leaves or the
    /// server shuts down.
    @Sendable func stream(_ request: Request, context: HallContext) async throws -> Response {
        try requireAuditor(context)
        let query = Query(request: request)
        var from = try query.position("from") ?? (store.log.head.position + 1)
        if let lastId = request.headers[.init("Last-Event-ID")!] {
            guard let last = UInt64(lastId) else { throw Problem.malformed("Last-Event-ID 应为日志位置") }
            from = last + 1
        }
        let subscription = store.log.subscribe(from: max(from, 1))
        let body = ResponseBody { writer in
            for try await entry in subscription.cancelOnGracefulShutdown() {
                let data = entry.jsonLine(renderPayload: EventCodec.jsonPayload(of:))
                try await writer.write(ByteBuffer(string: "id: \(entry.position)\nevent: \(entry.type)\ndata: \(data)\n\n"))
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"], body: body)
    }

    private func requireAuditor(_ context: HallContext) throws {
        try context.requireSchoolRole([.auditor, .admin], in: store, refusal: "只有审计和管理员可读取日志")
    }
}
