import Foundation
import Testing
import TestSupport

@testable import Events

@Suite("Event codec")
struct EventCodecTests {
    /// Events of every type: the catalog and account commands the random generator does not send, then a long
    /// run of random commands.
    static func eventsOfEveryType() throws -> [DomainEvent] {
        var world = World()
        var events = [DomainEvent]()
        for (command, actor) in Cast.setup {
            events += try world.run(command, as: actor)
        }
        let system = CommandContext.systemActor
        let guide = ItemGuide(audience: "教职工", process: "在线申请", materials: "无", timeLimit: "1 日", phone: "0451")
        let item = CatalogItem(
            id: "I1", name: "用印审批", departmentId: "D01", theme: "办公办文", audience: .teacher, online: true, guide: guide,
            kind: .sealUse, withdrawn: false, visits: 0)
        let setup: [(Command, String)] = [
            (.publishItem(item), system), (.visitItem(id: "I1"), Cast.applicant),
            (.editItem(ItemEdited(id: "I1", name: "用印审批（新）", theme: "办公")), system),
            (.setItemOnline(id: "I1", online: false), system), (.withdrawItem(id: "I1"), system),
            (.grantRole(account: Cast.applicant, grant: RoleGrant(role: .auditor, scope: "school")), system),
            (.revokeRole(account: Cast.applicant, grant: RoleGrant(role: .auditor, scope: "school")), system),
            (.changePassword(account: Cast.applicant), Cast.applicant),
        ]
        for (command, actor) in setup {
            events += try world.run(command, as: actor)
        }
        // Flows that end in every fulfilment and register event, then random commands for variety.
        func approved(_ form: ApplicationForm) throws -> String {
            let id = try world.submit(form)
            while world.application(id).status == .inReview, let decider = world.candidate(for: id) {
                events += try world.run(.decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: world.application(id).version), as: decider)
            }
            return id
        }
        func fulfil(_ id: String, _ action: FulfilmentAction, as actor: String) throws {
            events += try world.run(.fulfil(applicationId: id, action: action, expectedVersion: world.application(id).version), as: actor)
        }
        let takeOut = try approved(Cast.sealUse([.administrative], takeOut: true))
        for action in [FulfilmentAction.checkOut(seal: Cast.seal(.administrative)), .affix(seal: Cast.seal(.administrative), impressions: 1, scan: nil), .checkIn(seal: Cast.seal(.administrative))] {
            try fulfil(takeOut, action, as: Cast.keeper)
        }
        for _ in 0..<3 {
            try fulfil(try approved(Cast.letter()), .issue, as: Cast.office)
        }
        events += try world.run(.voidLetter(serial: "administrative-2026-1", comment: nil), as: Cast.office)
        events += try world.run(.reportLetterLost(serial: "administrative-2026-2", comment: nil), as: Cast.office)
        events += try world.run(.returnLetter(serial: "administrative-2026-3", comment: nil), as: Cast.office)
        let copies = try world.approved(Cast.certificate([.certificateOriginal], original: false))
        events += try world.run(.fulfil(applicationId: copies, action: .provideCopies(copies: 1), expectedVersion: world.application(copies).version), as: Cast.office)
        let refused = try world.approved(Cast.sealUse([.department]))
        events += try world.run(.fulfil(applicationId: refused, action: .refuse(seal: Cast.seal(.department), comment: "不符"), expectedVersion: world.application(refused).version), as: Cast.deptKeeper)
        events += try world.run(.handOverSeal(seal: Cast.seal(.department), to: Cast.keeper), as: Cast.deptKeeper)
        events += try world.run(.reportSealLost(seal: Cast.seal(.departmentParty), comment: nil), as: Cast.deptKeeper)
        _ = try approved(Cast.abolition(Cast.seal(.departmentParty)))
        let abolished = try approved(Cast.abolition(Cast.seal(.business)))
        for action in [FulfilmentAction.handIn(handedInBy: "甲", receivedBy: "乙"), .sealUp(location: "柜")] {
            events += try world.run(.fulfil(applicationId: abolished, action: action, expectedVersion: world.application(abolished).version), as: Cast.office)
        }
        events += try world.run(.destroySeal(seal: Cast.seal(.business), supervisors: [Cast.auditor, Cast.legal]), as: Cast.office)
        var generator = SplitMix64(seed: 2026)
        var commands = RandomCommands(world: world)
        for _ in 0..<1500 {
            let (command, actor) = commands.command(from: Int.random(in: 0...1_000_000, using: &generator), in: world)
            world.advance(days: 0.1)
            let decided = (try? world.run(command, as: actor)) ?? []
            commands.observe(decided)
            events += decided
        }
        return events
    }

    @Test("every event type is stored in binary and exported as JSON, and both read back to the same event")
    func everyType() throws {
        let events = try Self.eventsOfEveryType()
        var seen = Set<String>()
        for event in events {
            let (type, payload) = try EventCodec.encode(event)
            seen.insert(type)
            #expect(try EventCodec.decode(type: type, payload: payload) == event)
            let entry = LogEntry(
                position: 1, stream: event.stream, streamVersion: 1, type: type, schemaVersion: 1, recordedAt: Date(),
                actor: "a", commandId: "c", tags: [], payload: payload, hash: .genesis)
            let exported = try LogEntry(jsonLine: entry.jsonLine(renderPayload: EventCodec.jsonPayload))
            #expect(exported.payload.first == UInt8(ascii: "{"))
            #expect(try EventCodec.decode(type: type, payload: exported.payload) == event, "\(type)")
        }
        #expect(seen == Set(EventCodec.typeNames), "not produced: \(Set(EventCodec.typeNames).subtracting(seen))")
        #expect(EventCodec.typeNames.count == 42)
    }


    @Test("an event to store is given back as its payload reads back: itself, or with its times cut to microseconds")
    func storedAsReadBack() throws {
        for event in try Self.eventsOfEveryType() {
            let (new, stored) = try EventCodec.newEvent(storing: event, tags: [])
            #expect(stored == event)
            #expect(try EventCodec.decode(type: new.type, payload: new.payload) == stored)
        }
        // A time with more than microseconds, deep in a form: the event given back is the one a replay reads.
        let fine = Date(timeIntervalSince1970: 1_798_729_200.123_456_7)
        guard case .certificate(let form) = Cast.certificate([.certificateOriginal], original: true, now: fine) else {
            throw EventCodecError.unknownType("certificate")
        }
        let submitted = DomainEvent.applicationSubmitted(
            ApplicationSubmitted(
                applicationId: "C-1", applicant: Cast.applicant, departmentId: Cast.computing, form: .certificate(form),
                attachments: [], route: []))
        let (new, stored) = try EventCodec.newEvent(storing: submitted, tags: [])
        #expect(stored != submitted)
        #expect(stored == (try EventCodec.decode(type: new.type, payload: new.payload)))
        guard case .applicationSubmitted(let read) = stored, case .certificate(let readForm) = read.form else {
            throw EventCodecError.unknownType("applicationSubmitted")
        }
        #expect(readForm.borrowFrom == Date(timeIntervalSince1970: 1_798_729_200.123_457))
    }
    @Test("payloads written and read by hand are the bytes and values of their Codable forms")
    func handWrittenPayloads() throws {
        func expectSame<T: Codable & Equatable>(_ payload: T, _ context: String) throws {
            #expect(T.self is any BinaryWritable.Type && T.self is any BinaryReadable.Type, "\(context)")
            let bytes = try BinaryEncoder().encode(payload)
            #expect(try bytes == BinaryEncoder().encodeThroughCodable(payload), "\(context)")
            #expect(try BinaryDecoder().decode(T.self, from: bytes) == payload, "\(context)")
            #expect(try BinaryDecoder().decodeThroughCodable(T.self, from: bytes) == payload, "\(context)")
        }
        var checked = 0
        for event in try Self.eventsOfEveryType() {
            switch event {
            case .applicationSubmitted(let payload), .applicationResubmitted(let payload):
                try expectSame(payload, "\(payload.form.kind)")
            case .stepApproved(let payload), .stepRejected(let payload), .stepReturned(let payload):
                try expectSame(payload, "step \(payload.step)")
            case .applicationApproved(let payload), .applicationCompleted(let payload): try expectSame(payload, "ref")
            case .applicationWithdrawn(let payload), .applicationCancelled(let payload): try expectSame(payload, "action")
            case .sealAffixed(let payload): try expectSame(payload, "affix")
            case .sealCheckedOut(let payload), .sealCheckedIn(let payload): try expectSame(payload, "movement")
            case .certificateCopiesProvided(let payload): try expectSame(payload, "copies")
            case .certificateLent(let payload): try expectSame(payload, "lent")
            case .certificateReturned(let payload): try expectSame(payload, "returned")
            case .letterIssued(let payload): try expectSame(payload, "letter \(payload.letter.serial)")
            default: continue
            }
            checked += 1
        }
        #expect(checked > 300)
        // The optionals of the fulfilment payloads, present and absent.
        for present in [false, true] {
            let at = Date(timeIntervalSince1970: 1_772_409_600.25)
            try expectSame(ApplicationAction(applicationId: "A1", by: "x", comment: present ? "撤回" : nil), "action \(present)")
            try expectSame(
                SealAffixed(
                    applicationId: "A1", seal: "S1", impressions: 3, scan: present ? "ab" : nil, by: "k", applicant: "a",
                    departmentId: "D10", documentTitle: "合同", reason: "签署", approvers: present ? ["h", "l"] : []),
                "affix \(present)")
            try expectSame(SealMovement(applicationId: "A1", seal: "S1", by: "k", until: present ? at : nil), "movement \(present)")
            try expectSame(CertificateReturned(applicationId: "A1", by: "k", comment: present ? "完好" : nil), "returned \(present)")
            try expectSame(
                CertificateLent(applicationId: "A1", documents: present ? [.legalRepID, .certificateOriginal] : [], dueBack: at, by: "k"),
                "lent \(present)")
        }
        // Every optional of every form, present and absent.
        let day = Date(timeIntervalSince1970: 1_772_409_600.5)
        for mask in 0..<16 {
            let on = { (bit: Int) in mask & (1 << bit) != 0 }
            let forms: [ApplicationForm] = [
                .sealUse(SealUseForm(
                    seals: ["S001", "S002"], documentTitle: "合同", reason: "签署", copies: 2, recipient: on(0) ? "某公司" : nil,
                    contractAmount: on(1) ? 35_000 : nil, takeOut: on(2), takeOutFrom: on(2) ? day : nil, takeOutUntil: on(3) ? day : nil,
                    classified: on(3))),
                .sealCarving(SealCarvingForm(
                    sealName: "业务专用章", category: .business, departmentId: "D10", reason: on(0) ? .replace : .new,
                    basisDocument: "文号", size: 40, quantity: 1, custodian: "20010009", scope: "业务", replacesSeal: on(1) ? "S003" : nil)),
                .sealAbolition(SealAbolitionForm(seal: "S004", reason: .worn, stopDate: day)),
                .letter(LetterForm(
                    letterType: on(0) ? .party : .administrative,
                    persons: (0..<(mask % 3)).map { LetterPerson(name: "人\($0)", title: "科员", idNumber: "2301**********1234") },
                    destination: "科技厅", matter: "联系", validDays: mask, important: on(1))),
                .certificate(CertificateRequestForm(
                    documents: [.certificateOriginal], form: on(0) ? .original : .copy, copies: on(1) ? 3 : nil, purpose: "申报",
                    recipient: "科技厅", borrowFrom: on(2) ? day : nil, dueBack: on(3) ? day : nil)),
            ]
            for form in forms {
                let attachments = (0..<(mask % 3)).map { Attachment(name: "件\($0).pdf", size: $0 * 1000, sha256: String(repeating: "a", count: 64)) }
                let route = [RouteStep(step: .deptHead, scope: "D10", reason: "审核")]
                try expectSame(
                    ApplicationSubmitted(applicationId: "A1", applicant: "20010001", departmentId: "D10", form: form, attachments: attachments, route: route),
                    "\(form.kind) \(mask)")
            }
            try expectSame(StepDecided(applicationId: "A1", stepIndex: mask, step: .deptHead, by: "x", comment: on(0) ? "同意" : nil), "decision \(mask)")
        }
    }

    @Test("submissions and decisions read by hand take fields in any order, skip unknown ones, need required ones")
    func handReadPayloads() throws {
        func decision(_ fields: [(StaticString, (inout BinaryWriter) -> Void)]) -> [UInt8] {
            var writer = BinaryWriter()
            writer.keyed(fields: fields.count)
            for (key, value) in fields {
                writer.key(key)
                value(&writer)
            }
            return writer.bytes
        }
        let reordered = decision([
            ("comment", { $0.string("同意") }), ("future", { $0.unkeyed(count: 1); $0.date(Date()) }),
            ("by", { $0.string("x") }), ("step", { $0.string("dept-head") }), ("stepIndex", { $0.signed(2) }),
            ("applicationId", { $0.string("A1") }),
        ])
        let expected = StepDecided(applicationId: "A1", stepIndex: 2, step: .deptHead, by: "x", comment: "同意")
        #expect(try BinaryDecoder().decode(StepDecided.self, from: reordered) == expected)
        #expect(try BinaryDecoder().decodeThroughCodable(StepDecided.self, from: reordered) == expected)
        let nilComment = decision([
            ("applicationId", { $0.string("A1") }), ("stepIndex", { $0.signed(2) }), ("step", { $0.string("dept-head") }),
            ("by", { $0.string("x") }), ("comment", { $0.null() }),
        ])
        #expect(try BinaryDecoder().decode(StepDecided.self, from: nilComment).comment == nil)
        let missing = decision([("applicationId", { $0.string("A1") }), ("step", { $0.string("dept-head") }), ("by", { $0.string("x") })])
        #expect(throws: BinaryDecodingError.missingKey("stepIndex")) { try BinaryDecoder().decode(StepDecided.self, from: missing) }
        #expect(throws: (any Error).self) { try BinaryDecoder().decodeThroughCodable(StepDecided.self, from: missing) }
        let unknownStep = decision([
            ("applicationId", { $0.string("A1") }), ("stepIndex", { $0.signed(2) }), ("step", { $0.string("janitor") }),
            ("by", { $0.string("x") }),
        ])
        #expect(throws: BinaryDecodingError.unexpectedValue("janitor")) { try BinaryDecoder().decode(StepDecided.self, from: unknownStep) }
    }

    @Test("a decoder cache decodes every type by its place, and by its name where the place holds another type")
    func decoderCache() throws {
        let events = try Self.eventsOfEveryType()
        var cache = EventCodec.DecoderCache()
        var places = [String: Int]()
        for event in events {
            let (type, payload) = try EventCodec.encode(event)
            let place = places[type] ?? places.count
            places[type] = place
            // The place the type has in this read, then place 0, which another type holds (as in another read).
            for typeIndex in [place, 0, nil] {
                let decoded = try payload.withUnsafeBytes { payload in
                    try cache.decode(
                        EventRecordView(
                            position: 1, type: type, typeIndex: typeIndex, schemaVersion: 1, recordedAt: Date(),
                            actor: "a", payload: payload))
                }
                #expect(decoded == event, "\(type) at \(String(describing: typeIndex))")
            }
        }
        #expect(places.count == EventCodec.typeNames.count)
    }

    @Test("an unknown event type is an error")
    func unknownType() {
        #expect(throws: EventCodecError.unknownType("Nonsense")) { try EventCodec.decode(type: "Nonsense", payload: [0x10, 0x00]) }
    }
}
