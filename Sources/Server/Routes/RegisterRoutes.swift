import Events
import Foundation
import Hummingbird
import Projections

/// The registers (台账, 用印登记簿, 介绍信登记簿, 证照借用登记), a seal's history, and the seal and letter actions
/// outside an application.
///
/// Every signed-in person reads the seal register (an applicant chooses seals from it); the other registers and
/// seal histories are for auditors, admins and the office.
struct RegisterRoutes {
    let store: HallStore
    let metrics: HallMetrics
    var commands: CommandRunner { CommandRunner(store: store, metrics: metrics) }

    struct LetterRow: Encodable {
        var serial, number, applicationId, destination, matter: String
        var type: LetterType
        var year, sequence: Int
        var persons: [LetterPerson]
        var issuedAt, expiresAt: Date
        var status: LetterStatus
    }

    struct CertificateRow: Encodable {
        var row: CertificateLedgerRow
        var overdue: Bool

        func encode(to encoder: any Encoder) throws {
            try row.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(overdue, forKey: .overdue)
        }

        private enum Keys: String, CodingKey { case overdue }
    }

    struct Destruction: Decodable { var supervisors: [String] }
    struct Note: Decodable { var comment: String? }
    struct HandOver: Decodable { var to: String }

    func register(in routes: RouteTable) {
        routes.get("/api/seals") { request, context in
            _ = try context.requireAccount()
            let query = Query(request: request)
            return try HallJSON.response(
                try RegistersProjection.seals(
                    from: store.engine, status: try query.value("status", as: SealStatus.self),
                    departmentId: query.string("departmentId")))
        }
        routes.get("/api/seals/{id}") { _, context in
            _ = try context.requireAccount()
            let id = context.parameter("id")
            guard let row = try RegistersProjection.seals(from: store.engine).first(where: { $0.id == id }) else {
                throw Problem.notFound("没有印章 \(id)")
            }
            return try HallJSON.response(row)
        }
        routes.get("/api/seals/{id}/history", history)
        routes.get("/api/registers/uses") { request, context in
            try requireRegisterReader(context)
            return try HallJSON.response(try RegistersProjection.uses(from: store.engine, seal: Query(request: request).string("seal")))
        }
        routes.post("/api/seals/{id}/destroy") { request, context in
            let body = try await JSONBody.decode(Destruction.self, from: request)
            return try await sealAction(.destroySeal(seal: context.parameter("id"), supervisors: body.supervisors), "destroy-seal", request, context)
        }
        routes.post("/api/seals/{id}/report-lost") { request, context in
            let body = try await JSONBody.decode(Note.self, from: request)
            return try await sealAction(.reportSealLost(seal: context.parameter("id"), comment: body.comment), "report-seal-lost", request, context)
        }
        routes.post("/api/seals/{id}/hand-over") { request, context in
            let body = try await JSONBody.decode(HandOver.self, from: request)
            return try await sealAction(.handOverSeal(seal: context.parameter("id"), to: body.to), "hand-over-seal", request, context)
        }
        routes.get("/api/letters") { request, context in
            try requireRegisterReader(context)
            let query = Query(request: request)
            let year = query.string("year") == nil ? nil : try query.int("year", default: 0, range: 2000...3000)
            let letters = try RegistersProjection.letters(
                from: store.engine, at: store.clock(), year: year, type: try query.value("type", as: LetterType.self))
            return try HallJSON.response(letters.map(Self.row))
        }
        for (action, status) in [("return", LetterStatus.returned), ("void", .voided), ("report-lost", .lost)] {
            routes.post("/api/letters/{serial}/\(action)") { request, context in
                let body = try await JSONBody.decode(Note.self, from: request)
                let serial = context.parameter("serial")
                let command: Command = switch status {
                case .returned: .returnLetter(serial: serial, comment: body.comment)
                case .voided: .voidLetter(serial: serial, comment: body.comment)
                default: .reportLetterLost(serial: serial, comment: body.comment)
                }
                _ = try await commands.run(command, name: "letter-\(action)", request: request, context: context)
                let letter = try RegistersProjection.letters(from: store.engine, at: store.clock()).first { $0.letter.serial == serial }
                guard let letter else { throw Problem.notFound("没有介绍信 \(serial)") }
                return try HallJSON.response(Self.row(letter))
            }
        }
        routes.get("/api/certificates") { _, context in
            try requireRegisterReader(context)
            let now = store.clock()
            return try HallJSON.response(
                try RegistersProjection.certificates(from: store.engine).map { CertificateRow(row: $0, overdue: $0.isOverdue(at: now)) })
        }
    }

    /// `GET /api/seals/{id}/history?asOf=&format=json|csv|jsonl`.
    @Sendable func history(_ request: Request, context: HallContext) async throws -> Response {
        try requireRegisterReader(context)
        let id = context.parameter("id")
        guard store.processor.withState({ $0.seals[id] != nil }) else { throw Problem.notFound("没有印章 \(id)") }
        let query = Query(request: request)
        let format = try query.value("format", as: SealHistory.Format.self) ?? .json
        var asOf: Date?
        if let text = query.string("asOf") {
            guard let date = HallJSON.parse(text) else {
                throw Problem(.badRequest, code: "malformed", detail: "查询参数 asOf 应为 RFC 3339 时间")
            }
            asOf = date
        }
        let rows = try SealHistory.rows(of: id, in: store.log, asOf: asOf)
        let contentType = switch format {
        case .json: "application/json; charset=utf-8"
        case .jsonl: "application/jsonl; charset=utf-8"
        case .csv: "text/csv; charset=utf-8"
        }
        return Response(
            status: .ok, headers: [.contentType: contentType],
            body: .init(byteBuffer: .init(string: try SealHistory.export(rows, as: format))))
    }

    /// Auditors, admins and the office read the registers and histories.
    private func requireRegisterReader(_ context: HallContext) throws {
        try context.requireSchoolRole(ApplicationAccess.readersOfAll, in: store, refusal: "只有审计、管理员和党政办可查看登记簿")
    }

    private func sealAction(_ command: Command, _ name: String, _ request: Request, _ context: HallContext) async throws
        -> Response
    {
        _ = try await commands.run(command, name: name, request: request, context: context)
        let id = context.parameter("id")
        guard let row = try RegistersProjection.seals(from: store.engine).first(where: { $0.id == id }) else {
            throw Problem.notFound("没有印章 \(id)")
        }
        return try HallJSON.response(row)
    }

    private static func row(_ entry: (letter: Letter, status: LetterStatus)) -> LetterRow {
        let letter = entry.letter
        return LetterRow(
            serial: letter.serial, number: letter.number, applicationId: letter.applicationId,
            destination: letter.destination, matter: letter.matter, type: letter.type, year: letter.year,
            sequence: letter.sequence, persons: letter.persons, issuedAt: letter.issuedAt, expiresAt: letter.expiresAt,
            status: entry.status)
    }
}
