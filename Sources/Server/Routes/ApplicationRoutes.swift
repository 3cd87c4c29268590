import Events
import Foundation
import Hummingbird
import NIOCore
import Projections

/// Applications: submit, list, read with timeline, decide, withdraw, resubmit, cancel, fulfil; and 流程待办.
struct ApplicationRoutes {
    let store: HallStore
    let metrics: HallMetrics
    var commands: CommandRunner { CommandRunner(store: store, metrics: metrics) }

    /// A line of an application list.
    struct Summary: Encodable {
        var id, title, applicant, applicantName, departmentId: String
        var kind: ApplicationKind
        var status: ApplicationStatus
        var version: Int
        var submittedAt: Date
        var currentStep: String?
    }

    struct Page<Item: Encodable>: Encodable {
        var items: [Item]
        var total: Int
    }

    struct Task: Encodable {
        var applicationId, title, applicant, applicantName, step: String
        var kind: ApplicationKind
        var since: Date
    }

    func register(in routes: RouteTable) {
        routes.post("/api/applications") { request, context in
            let body = try await JSONBody.decode(ApplicationBodies.Submission.self, from: request)
            let result = try await commands.run(
                .submit(form: body.form, attachments: body.attachments), name: "submit", request: request,
                context: context, answeredAhead: true)
            return try answer(result, status: .created)
        }
        routes.get("/api/applications", list)
        routes.get("/api/applications/{id}") { _, context in
            let application = try readable(context.parameter("id"), context: context)
            return try view(application)
        }
        onApplication("decision", ApplicationBodies.DecisionBody.self, in: routes) { id, body in
            .decide(applicationId: id, decision: body.decision, comment: body.comment, expectedVersion: body.expectedVersion)
        }
        onApplication("withdraw", ApplicationBodies.Action.self, in: routes) { id, body in
            .withdraw(applicationId: id, comment: body.comment, expectedVersion: body.expectedVersion)
        }
        onApplication("cancel", ApplicationBodies.Action.self, in: routes) { id, body in
            .cancel(applicationId: id, comment: body.comment, expectedVersion: body.expectedVersion)
        }
        onApplication("fulfil", ApplicationBodies.Fulfilment.self, in: routes) { id, body in
            .fulfil(applicationId: id, action: body.action, expectedVersion: body.expectedVersion)
        }
        routes.post("/api/applications/{id}/resubmit") { request, context in
            let application = try readable(context.parameter("id"), context: context)
            let body = try JSONBody.decode(
                ApplicationBodies.Resubmission.self,
                from: try Self.filling(kind: application.kind, in: try await JSONBody.bytes(of: request)))
            return try await answer(
                .resubmit(
                    applicationId: application.id, form: body.submission.form, attachments: body.submission.attachments,
                    expectedVersion: body.expectedVersion),
                name: "resubmit", request: request, context: context)
        }
        routes.get("/api/tasks") { _, context in
            let account = try context.requireAccount()
            let todo = try QueuesProjection.queues(of: account, from: store.engine).todo
            let names = store.processor.withState { state in state.accounts.mapValues(\.name) }
            return try HallJSON.response(
                todo.map { item in
                    Task(
                        applicationId: item.applicationId, title: item.title, applicant: item.applicant,
                        applicantName: names[item.applicant] ?? item.applicant, step: item.step, kind: item.kind,
                        since: item.since)
                })
        }
    }

    /// Registers `POST /api/applications/{id}/<action>`: the application must be readable by the caller (404
    /// otherwise), the body decodes as `Body`, and `command` makes the decider's command of them.
    private func onApplication<Body: Decodable & Sendable>(
        _ action: String, _ body: Body.Type, in routes: RouteTable,
        command: @escaping @Sendable (String, Body) -> Command
    ) {
        routes.post("/api/applications/{id}/\(action)") { request, context in
            let id = try readable(context.parameter("id"), context: context).id
            let body = try await JSONBody.decode(Body.self, from: request)
            return try await answer(command(id, body), name: action == "decision" ? "decide" : action, request: request, context: context)
        }
    }

    /// The application `id` when the signed-in account may read it; 404 otherwise, whether it exists or not.
    func readable(_ id: String, context: HallContext) throws -> Events.Application {
        let account = try context.requireAccount()
        let readable = try store.processor.withApplication(id) { application, state -> Events.Application? in
            guard let reader = state.accounts[account], ApplicationAccess.mayRead(application, account: reader, state: state)
            else { return nil }
            return application
        }
        guard let application = readable ?? nil else { throw Problem.notFound("没有办件 \(id)") }
        return application
    }

    private func answer(_ command: Command, name: String, request: Request, context: HallContext) async throws -> Response {
        try answer(try await commands.run(command, name: name, request: request, context: context, answeredAhead: true))
    }

    /// A command's answer: the application as the command left it. It leaves the timeline out (one `GET` away)
    /// and is built from the standing the writer took, so answering never waits for the decider's lock — nor for
    /// the read models (the command is run `answeredAhead`; reads wait for them instead).
    private func answer(_ result: CommandResult, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let application = result.application, let standing = result.standing else {
            throw Problem.notFound("办件不存在")
        }
        var headers = HTTPFields()
        if status == .created { headers[.location] = "/api/applications/\(application.id)" }
        return HallJSON.response(
            writing: ApplicationView(application, standing: standing, timeline: nil), status: status, headers: headers)
    }

    /// The application as `GET /api/applications/{id}` shows it, with its timeline.
    private func view(_ application: Events.Application) throws -> Response {
        let events = try Timeline.events(of: application.id, log: store.log)
        try store.processor.loadLetter(of: application)
        // The view is built under the decider's lock and the state never escapes it: a copy kept past the lock
        // would make the writer's next change copy the whole state.
        let view = store.processor.withState { state in
            ApplicationView(
                application, standing: state.standing(of: application), timeline: Timeline.entries(events, state: state))
        }
        return HallJSON.response(writing: view)
    }

    /// `GET /api/applications?scope=mine|todo|done|all&status=&kind=&page=&pageSize=`.
    @Sendable func list(_ request: Request, context: HallContext) async throws -> Response {
        let account = try context.requireAccount()
        let query = Query(request: request)
        let scope = query.string("scope") ?? "mine"
        let status = try query.value("status", as: ApplicationStatus.self)
        let kind = try query.value("kind", as: ApplicationKind.self)
        let page = try query.int("page", default: 1, range: 1...100_000)
        let pageSize = try query.int("pageSize", default: 20, range: 1...100)
        // Sorted, filtered and counted by headline; only the page's applications are read whole.
        let headlines: [ApplicationHeadline]
        switch scope {
        case "mine", "todo", "done":
            let queues = try QueuesProjection.queues(of: account, from: store.engine)
            let lines = scope == "mine" ? queues.initiated : scope == "todo" ? queues.todo : queues.done
            var seen = Set<String>()
            headlines = try lines.map(\.applicationId).filter { seen.insert($0).inserted }.compactMap(store.processor.headline)
        case "all":
            try context.requireSchoolRole(ApplicationAccess.readersOfAll, in: store, refusal: "只有审计、管理员和党政办可查看全部办件")
            headlines = try store.processor.headlines()
        default:
            throw Problem(.badRequest, code: "malformed", detail: "查询参数 scope 应为 mine、todo、done 或 all")
        }
        var matching = headlines.filter { (status == nil || $0.status == status) && (kind == nil || $0.kind == kind) }
        // The queues keep their lines newest first; the whole list comes in the table's order.
        if scope == "all" { matching.sort(by: ApplicationHeadline.newerFirst) }
        let shown = try matching[min((page - 1) * pageSize, matching.count)..<min(page * pageSize, matching.count)]
            .compactMap { try store.processor.application($0.id) }
        let summaries = store.processor.withState { state in shown.map { Self.summary($0, state: state) } }
        return try HallJSON.response(Page(items: summaries, total: matching.count))
    }

    static func summary(_ application: Events.Application, state: HallState) -> Summary {
        let view = ApplicationView(application, standing: state.standing(of: application), timeline: nil)
        return Summary(
            id: application.id, title: view.title, applicant: application.applicant, applicantName: view.applicantName,
            departmentId: application.departmentId, kind: application.kind, status: application.status,
            version: application.version, submittedAt: application.submittedAt, currentStep: view.currentStep)
    }

    /// The body with `"kind"` set to the application's kind when the client left it out.
    static func filling(kind: ApplicationKind, in buffer: ByteBuffer) throws -> ByteBuffer {
        guard var object = try? JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any] else {
            throw Problem.malformed("请求体须为 JSON 对象")
        }
        if object["kind"] == nil { object["kind"] = kind.rawValue }
        return ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
    }
}
