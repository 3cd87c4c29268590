import Events
import Foundation

/// Decoding domain event payloads: the binary form the log stores, against JSON as the baseline, measured on the
/// same events in the same run.
struct PayloadBenchmark {
    func run() throws {
        let events = try Self.sample
        let binary = try events.map { try EventCodec.encode($0) }
        let json = try binary.map { type, payload in
            let entry = LogEntry(
                position: 1, stream: "s", streamVersion: 1, type: type, schemaVersion: 1, recordedAt: Date(), actor: "a",
                commandId: "c", tags: [], payload: payload, hash: .genesis)
            return (type, Array(try JSONSerialization.data(withJSONObject: EventCodec.jsonPayload(of: entry)!)))
        }
        let binaryRate = try rate(binary)
        let jsonRate = try rate(json)
        report("payload_decode", binaryRate, "events/s")
        report("payload_decode_json", jsonRate, "events/s")
        report("payload_decode_ratio", binaryRate / jsonRate, "x")
    }

    /// Payloads decoded per second over about a second.
    private func rate(_ payloads: [(String, [UInt8])]) throws -> Double {
        let started = ContinuousClock.now
        var count = 0
        repeat {
            for (type, payload) in payloads {
                _ = try EventCodec.decode(type: type, payload: payload)
            }
            count += payloads.count
        } while ContinuousClock.now - started < .seconds(1)
        return Double(count) / seconds(since: started)
    }

    /// A typical mix, decided by the real rules: a seal-use submission with its form and route, its step
    /// decisions, the approval, an affix and the completion.
    static var sample: [DomainEvent] {
        get throws {
            var state = HallState()
            var events = [DomainEvent]()
            let now = Date(timeIntervalSince1970: 1_772_409_600)
            func run(_ command: Command, as actor: String) throws {
                let decided = try Decider.decide(command, state: state, context: CommandContext(actor: actor, now: now))
                for event in decided {
                    state.evolve(by: RecordedEvent(event: event, actor: actor, recordedAt: now, position: state.position + 1))
                }
                events += decided
            }
            let system = CommandContext.systemActor
            try run(.createDepartment(id: "D01", name: "党委办公室 校长办公室"), as: system)
            try run(.createDepartment(id: "D10", name: "科技处"), as: system)
            let people: [(String, RoleGrant)] = [
                ("20010001", RoleGrant(role: .applicant, scope: "D10")), ("20010002", RoleGrant(role: .deptHead, scope: "D10")),
                ("20010004", RoleGrant(role: .legalReviewer, scope: "school")),
                ("20010003", RoleGrant(role: .officeReviewer, scope: "school")),
                ("20010008", RoleGrant(role: .sealKeeper, scope: "school")),
            ]
            for (account, grant) in people {
                try run(.registerAccount(account: account, name: account, departmentId: "D10", kind: .staff, roles: [grant]), as: system)
                try run(.activateAccount(account: account), as: account)
            }
            try run(.registerExistingSeal(id: "S005", name: "合同专用章", category: .contract, departmentId: "D01", custodian: "20010008"), as: system)
            events.removeAll()
            let form = SealUseForm(
                seals: ["S005"], documentTitle: "横向科研合同", reason: "签订合同", copies: 4, recipient: "某公司",
                contractAmount: 60_000)
            let attachment = Attachment(name: "合同.pdf", size: 204_800, sha256: String(repeating: "5e", count: 32))
            try run(.submit(form: .sealUse(form), attachments: [attachment]), as: "20010001")
            let id = "A2026-000001"
            for (version, decider) in ["20010002", "20010004", "20010003"].enumerated() {
                try run(.decide(applicationId: id, decision: .approve, comment: "同意", expectedVersion: version + 1), as: decider)
            }
            try run(.fulfil(applicationId: id, action: .affix(seal: "S005", impressions: 4, scan: nil), expectedVersion: 5), as: "20010008")
            return events
        }
    }
}
