import Events
import Foundation
import Hummingbird
import Projections

/// Administration (admin role): departments, accounts and roles, seals already in use, catalog items, read
/// models and hot backups. The decider checks the admin role for every command; the routes that do not go
/// through it check it here.
struct AdminRoutes {
    let store: HallStore
    let metrics: HallMetrics
    var commands: CommandRunner { CommandRunner(store: store, metrics: metrics) }

    struct NewDepartment: Decodable { var id, name: String }
    struct NewAccount: Decodable {
        var account, name, departmentId: String
        var kind: AccountKind
        var roles: [RoleGrant]
    }
    struct Activation: Encodable { var account, activationCode: String }
    struct NewSeal: Decodable {
        var id, name, departmentId, custodian: String
        var category: SealCategory
    }
    struct NewItem: Decodable {
        var id, name, departmentId, theme: String
        var audience: Audience
        var online: Bool
        var kind: ApplicationKind?
        var guide: ItemGuide
    }
    struct ItemChange: Decodable {
        var name, departmentId, theme: String?
        var audience: Audience?
        var guide: ItemGuide?
        var online: Bool?
        var withdrawn: Bool?
    }
    struct ProjectionRow: Encodable {
        struct Progress: Encodable { var done, total: UInt64 }
        var name, status: String
        var version, codeVersion: Int
        var position: UInt64
        var rebuild: Progress?
    }
    struct StepStatistics: Encodable {
        var kind: ApplicationKind
        var step: String
        var count: Int
        var averageSeconds, maxSeconds: Double
        var withinHour, withinDay, withinThreeDays, longer: Int
    }

    func register(in routes: RouteTable) {
        routes.post("/api/admin/departments") { request, context in
            let body = try await JSONBody.decode(NewDepartment.self, from: request)
            _ = try await commands.run(.createDepartment(id: body.id, name: body.name), name: "create-department", request: request, context: context)
            return try HallJSON.response(["id": body.id, "name": body.name], status: .created)
        }
        routes.post("/api/admin/accounts", createAccount)
        routes.post("/api/admin/accounts/{account}/roles") { request, context in
            try await changeRole(request, context, granting: true)
        }
        routes.delete("/api/admin/accounts/{account}/roles") { request, context in
            try await changeRole(request, context, granting: false)
        }
        routes.post("/api/admin/seals") { request, context in
            let body = try await JSONBody.decode(NewSeal.self, from: request)
            _ = try await commands.run(
                .registerExistingSeal(id: body.id, name: body.name, category: body.category, departmentId: body.departmentId, custodian: body.custodian),
                name: "register-seal", request: request, context: context)
            let row = try RegistersProjection.seals(from: store.engine).first { $0.id == body.id }
            return try HallJSON.response(row, status: .created, headers: [.location: "/api/seals/\(body.id)"])
        }
        routes.post("/api/admin/catalog/items") { request, context in
            let body = try await JSONBody.decode(NewItem.self, from: request)
            let item = CatalogItem(
                id: body.id, name: body.name, departmentId: body.departmentId, theme: body.theme, audience: body.audience,
                online: body.online, guide: body.guide, kind: body.kind, withdrawn: false, visits: 0)
            _ = try await commands.run(.publishItem(item), name: "publish-item", request: request, context: context)
            return try HallJSON.response(item, status: .created, headers: [.location: "/api/catalog/items/\(body.id)"])
        }
        routes.patch("/api/admin/catalog/items/{id}", editItem)
        routes.get("/api/admin/projections") { _, context in
            try requireAdmin(context)
            let versions = Dictionary(uniqueKeysWithValues: store.engine.projections.map { ($0.name, $0.version) })
            return try HallJSON.response(
                try store.engine.statuses().map { status in
                    ProjectionRow(
                        name: status.name, status: status.status, version: status.version,
                        codeVersion: versions[status.name] ?? status.version, position: status.position,
                        rebuild: status.rebuild.map { ProjectionRow.Progress(done: $0.done, total: $0.total) })
                })
        }
        routes.post("/api/admin/projections/{name}/rebuild", rebuild)
        routes.get("/api/admin/statistics/steps") { _, context in
            try requireAdmin(context)
            return try HallJSON.response(
                try StepDurationsProjection.durations(from: store.engine).map { duration in
                    StepStatistics(
                        kind: duration.kind, step: duration.step, count: duration.count,
                        averageSeconds: duration.averageSeconds.rounded(), maxSeconds: duration.maxSeconds.rounded(),
                        withinHour: duration.withinHour, withinDay: duration.withinDay,
                        withinThreeDays: duration.withinThreeDays, longer: duration.longer)
                })
        }
        routes.post("/api/admin/backup") { _, context in
            try requireAdmin(context)
            return try HallJSON.response(try store.log.backup(into: store.log.directory + "/backups", at: store.clock()))
        }
    }

    /// Registers the account and, in the same commit, the digest of its one-time activation code; the code itself
    /// is in this answer and nowhere else.
    @Sendable func createAccount(_ request: Request, context: HallContext) async throws -> Response {
        let body = try await JSONBody.decode(NewAccount.self, from: request)
        let actor = try context.requireAccount()
        let code = SecretTables.activationCode()
        let account = body.account
        let result = try await store.execute(
            .registerAccount(account: account, name: body.name, departmentId: body.departmentId, kind: body.kind, roles: body.roles),
            actor: actor, idempotencyKey: try CommandRunner.idempotencyKey(of: request)
        ) { session in try session.setActivationCode(code, of: account) }
        // A repeat under the same key cannot answer as the first did: the code was shown once and only its digest
        // is kept.
        guard !result.isDuplicate else {
            throw Problem(.conflict, code: "already-exists", detail: "账号 \(account) 已创建，激活码只显示一次")
        }
        metrics.recordCommand("register-account", outcome: "accepted")
        return try HallJSON.response(
            Activation(account: account, activationCode: code), status: .created,
            headers: [.location: "/api/admin/accounts/\(account)"])
    }

    private func changeRole(_ request: Request, _ context: HallContext, granting: Bool) async throws -> Response {
        let grant = try await JSONBody.decode(RoleGrant.self, from: request)
        let account = context.parameter("account")
        let command: Command = granting ? .grantRole(account: account, grant: grant) : .revokeRole(account: account, grant: grant)
        _ = try await commands.run(command, name: granting ? "grant-role" : "revoke-role", request: request, context: context)
        return try HallJSON.response(store.account(account)?.roles ?? [])
    }

    /// Edits an item's fields, takes it online or offline, or withdraws it: each change its own command.
    @Sendable func editItem(_ request: Request, context: HallContext) async throws -> Response {
        let id = context.parameter("id")
        let body = try await JSONBody.decode(ItemChange.self, from: request)
        let edit = ItemEdited(
            id: id, name: body.name, departmentId: body.departmentId, theme: body.theme, audience: body.audience,
            guide: body.guide)
        _ = try await commands.run(
            .changeItem(edit: edit, online: body.online, withdraw: body.withdrawn == true), name: "change-item",
            request: request, context: context)
        guard let item = store.processor.withState({ $0.items[id] }) else { throw Problem.notFound("没有事项 \(id)") }
        return try HallJSON.response(item)
    }

    /// 202 at once; the rebuild runs beside the live model and swaps in when caught up. Progress shows in
    /// `GET /api/admin/projections`.
    @Sendable func rebuild(_ request: Request, context: HallContext) async throws -> Response {
        try requireAdmin(context)
        let name = context.parameter("name")
        guard store.engine.projections.contains(where: { $0.name == name }) else {
            throw Problem.notFound("没有读模型 \(name)")
        }
        guard try store.engine.statuses().first(where: { $0.name == name })?.rebuild == nil else {
            throw Problem(.conflict, code: "already-rebuilding", detail: "读模型 \(name) 正在重建")
        }
        let engine = store.engine
        let logger = context.logger
        Task {
            do {
                try await engine.rebuild(name)
            } catch {
                logger.error("rebuild failed", metadata: ["projection": "\(name)", "error": "\(error)"])
            }
        }
        return try HallJSON.response(["name": name, "status": "rebuilding"], status: .accepted)
    }

    private func requireAdmin(_ context: HallContext) throws {
        try context.requireSchoolRole([.admin], in: store, refusal: "需要管理员权限")
    }
}
