import Foundation
import Testing
import TestSupport

@testable import Events

@Suite("Separation of duties and scopes")
struct DutiesTests {
    @Test("nobody decides a step of an application they submitted, whatever roles they hold")
    func ownApplication() throws {
        var world = try Cast.world()
        try world.run(.grantRole(account: Cast.applicant, grant: RoleGrant(role: .deptHead, scope: Cast.computing)), as: CommandContext.systemActor)
        let id = try world.submit(Cast.letter())
        #expect(world.refuse(.decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: 1), as: Cast.applicant)?.code == "forbidden")
        try world.run(.decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: 1), as: Cast.head)
    }

    @Test("only candidates decide a step: another department's head or leader, reviewers of other steps, auditors are not")
    func candidates() throws {
        var world = try Cast.world()
        let id = try world.submit(Cast.sealUse([.steel]))
        for outsider in [Cast.otherHead, Cast.office, Cast.auditor, Cast.leader, Cast.keeper, Cast.colleague] {
            #expect(world.refuse(.decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: 1), as: outsider) == .notYourStep("当前步骤（dept-head）不由您审批"), "\(outsider)")
        }
        try world.run(.decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: 1), as: Cast.head)
        try world.run(.decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: 2), as: Cast.office)
        #expect(world.refuse(.decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: 3), as: Cast.otherLeader)?.code == "not-your-step")
        try world.run(.decide(applicationId: id, decision: .approve, comment: nil, expectedVersion: 3), as: Cast.leader)
        #expect(world.application(id).status == .approved)
    }

    @Test("a keeper may not affix for his own application, nor for a seal he does not keep")
    func keeperScope() throws {
        var world = try Cast.world()
        let own = try world.approved(Cast.sealUse([.department]), as: Cast.deptKeeper)
        #expect(world.refuse(.fulfil(applicationId: own, action: .affix(seal: Cast.seal(.department), impressions: 1, scan: nil), expectedVersion: world.application(own).version), as: Cast.deptKeeper)?.code == "forbidden")
        let other = try world.approved(Cast.sealUse([.department]))
        #expect(world.refuse(.fulfil(applicationId: other, action: .affix(seal: Cast.seal(.department), impressions: 1, scan: nil), expectedVersion: world.application(other).version), as: Cast.keeper)?.code == "forbidden")
    }

    @Test("after a hand-over, the new custodian keeps the seal and the old one no longer does")
    func handOver() throws {
        var world = try Cast.world()
        let seal = Cast.seal(.department)
        #expect(world.refuse(.handOverSeal(seal: seal, to: Cast.applicant), as: Cast.deptKeeper)?.code == "validation")
        try world.run(.handOverSeal(seal: seal, to: Cast.keeper), as: Cast.deptKeeper)
        let id = try world.approved(Cast.sealUse([.department]))
        #expect(world.refuse(.fulfil(applicationId: id, action: .affix(seal: seal, impressions: 1, scan: nil), expectedVersion: world.application(id).version), as: Cast.deptKeeper)?.code == "forbidden")
        try world.fulfil(id, .affix(seal: seal, impressions: 1, scan: nil), as: Cast.keeper)
    }

    @Test("office fulfilment needs the office role; admin commands need admin")
    func officeAndAdmin() throws {
        var world = try Cast.world()
        let id = try world.approved(Cast.letter())
        #expect(world.refuse(.fulfil(applicationId: id, action: .issue, expectedVersion: world.application(id).version), as: Cast.head)?.code == "forbidden")
        #expect(world.refuse(.createDepartment(id: "D09", name: "新部门"), as: Cast.office)?.code == "forbidden")
        #expect(world.refuse(.registerExistingSeal(id: "S-X", name: "x", category: .department, departmentId: Cast.computing, custodian: Cast.keeper), as: Cast.auditor)?.code == "forbidden")
    }

    @Test("students and accounts not yet activated cannot apply")
    func whoMayApply() throws {
        var world = try Cast.world()
        #expect(world.refuse(.submit(form: Cast.letter(), attachments: []), as: Cast.student)?.code == "forbidden")
        try world.run(.registerAccount(account: "T9", name: "新同事", departmentId: Cast.computing, kind: .staff, roles: []), as: CommandContext.systemActor)
        #expect(world.refuse(.submit(form: Cast.letter(), attachments: []), as: "T9")?.code == "forbidden")
        #expect(world.refuse(.activateAccount(account: "T9"), as: Cast.applicant)?.code == "forbidden")
        try world.run(.activateAccount(account: "T9"), as: "T9")
        _ = try world.submit(Cast.letter(), as: "T9")
    }

    @Test("who holds a grant follows every grant and revocation, and decides who the candidates are")
    func holdersFollowGrants() throws {
        var world = try Cast.world()
        let grant = RoleGrant(role: .deptHead, scope: Cast.computing)
        let before = world.state.holders[grant] ?? []
        #expect(!before.isEmpty)
        try world.run(.grantRole(account: Cast.auditor, grant: grant), as: CommandContext.systemActor)
        #expect(world.state.holders[grant] == before.union([Cast.auditor]))
        #expect(world.state.holders == InvariantTests.holders(by: world.state.accounts))
        let submitted = try world.run(.submit(form: Cast.letter(type: .party), attachments: []), as: Cast.applicant)
        let id = try #require(submitted.first?.applicationId)
        #expect(world.state.candidates(for: id) == before.union([Cast.auditor]).subtracting([Cast.applicant]).sorted())
        try world.run(.revokeRole(account: Cast.auditor, grant: grant), as: CommandContext.systemActor)
        #expect(world.state.holders[grant] == before)
        #expect(world.state.holders == InvariantTests.holders(by: world.state.accounts))
        #expect(world.state.candidates(for: id) == before.subtracting([Cast.applicant]).sorted())
    }

    @Test("forms are checked field by field, in Chinese")
    func validation() throws {
        var world = try Cast.world()
        var form = SealUseForm(seals: [], documentTitle: " ", reason: "用印", copies: 0, classified: true)
        form.contractAmount = -1
        let rejection = world.refuse(.submit(form: .sealUse(form), attachments: []), as: Cast.applicant)
        guard case .validation(let errors) = rejection else { throw Rejection.notFound("expected validation") }
        #expect(Set(errors.map(\.field)) == ["seals", "documentTitle", "copies", "contractAmount", "classified", "attachments"])
        #expect(errors.first { $0.field == "classified" }?.message == "涉密材料请线下办理")

        let letter = LetterForm(letterType: .party, persons: [LetterPerson(name: "甲", title: "教师", idNumber: "230102199001011234")], destination: "某地", matter: "事项", validDays: 31)
        guard case .validation(let letterErrors) = world.refuse(.submit(form: .letter(letter), attachments: []), as: Cast.applicant) else {
            throw Rejection.notFound("expected validation")
        }
        #expect(Set(letterErrors.map(\.field)) == ["persons[0].idNumber", "validDays"])

        let loan = CertificateRequestForm(documents: [.certificateOriginal], form: .original, purpose: "借用", recipient: "某单位", borrowFrom: world.now, dueBack: world.now + 15 * 86_400)
        #expect(world.refuse(.submit(form: .certificate(loan), attachments: []), as: Cast.applicant) == .field("dueBack", "归还日期须在借用日期之后 14 天以内"))
    }
}

@Suite("Catalog item changes")
struct ItemChangeTests {
    static let guide = ItemGuide(audience: "教职工", process: "在线申请", materials: "无", timeLimit: "1 日", phone: "0451")

    static func world() throws -> World {
        var world = try Cast.world()
        let item = CatalogItem(
            id: "I1", name: "用印审批", departmentId: "D01", theme: "办公办文", audience: .teacher, online: true, guide: guide,
            kind: .sealUse)
        try world.run(.publishItem(item), as: CommandContext.systemActor)
        return world
    }

    @Test("fields, going offline and withdrawal are decided together: all recorded, or none when one part fails")
    func allOrNothing() throws {
        let admin = CommandContext.systemActor
        var world = try Self.world()
        // A bad department refuses the whole change, the online part included.
        let refused = world.refuse(.changeItem(edit: ItemEdited(id: "I1", departmentId: "D404"), online: false, withdraw: false), as: admin)
        #expect(refused?.code == "validation")
        #expect(world.state.items["I1"]?.online == true)

        let events = try world.run(.changeItem(edit: ItemEdited(id: "I1", name: "用印审批（新）"), online: false, withdraw: true), as: admin)
        #expect(events.count == 3)
        #expect(world.state.items["I1"].map { ($0.name, $0.online, $0.withdrawn) } ?? ("", true, false) == ("用印审批（新）", false, true))
    }

    @Test("a change to what the item already is records nothing, and only an admin may change an item")
    func noOpAndAdminOnly() throws {
        var world = try Self.world()
        #expect(try world.run(.changeItem(edit: ItemEdited(id: "I1"), online: true, withdraw: false), as: CommandContext.systemActor).isEmpty)
        #expect(world.refuse(.changeItem(edit: ItemEdited(id: "I1"), online: false, withdraw: false), as: Cast.applicant)?.code == "forbidden")
        #expect(world.refuse(.changeItem(edit: ItemEdited(id: "I9"), online: false, withdraw: false), as: CommandContext.systemActor)?.code == "not-found")
    }
}

@Suite("Form text rules")
struct FormTextTests {
    /// The errors a letter whose matter is `matter` and whose one person's ID number is `idNumber` gets.
    static func errors(matter: String, idNumber: String = "2301**********2026") -> [FieldError] {
        let person = LetterPerson(name: "张瑞雪", title: "科长", idNumber: idNumber)
        let form = LetterForm(letterType: .administrative, persons: [person], destination: "科技厅", matter: matter, validDays: 7)
        return FormValidation.errors(in: .letter(form), attachments: [])
    }

    @Test("a text is blank when all white space, too long past 500 characters (not bytes), refused with a control character")
    func textRules() {
        for blank in ["", " ", "\t\n", "\u{3000}\u{3000}", "\u{85}", "\u{A0} \u{2028}"] {
            #expect(Self.errors(matter: blank) == [FieldError("matter", "请填写联系事项")], "\(blank.unicodeScalars.map(\.value))")
        }
        #expect(Self.errors(matter: String(repeating: "联", count: 500)).isEmpty)
        #expect(Self.errors(matter: String(repeating: "e\u{301}", count: 500)).isEmpty, "500 characters of two scalars each")
        #expect(Self.errors(matter: String(repeating: "联", count: 501)) == [FieldError("matter", "联系事项不能超过 500 字")])
        #expect(Self.errors(matter: String(repeating: "a", count: 501)) == [FieldError("matter", "联系事项不能超过 500 字")])
        for control in ["\u{0}", "\u{7}", "\u{1F}", "\u{7F}", "\u{85}", "\u{9F}", "\t"] {
            #expect(Self.errors(matter: "事项" + control) == [FieldError("matter", "联系事项含有不可见的控制字符")],
                "\(control.unicodeScalars.map(\.value))")
        }
        for allowed in ["事项\u{A0}", "事项\u{200B}", "事项 ", "事\u{3000}项", "\u{3000}事项"] {
            #expect(Self.errors(matter: allowed).isEmpty, "\(allowed.unicodeScalars.map(\.value))")
        }
    }

    @Test("an ID number is 15 to 18 ASCII digits, X or *, at least four of them masked")
    func maskedIDNumbers() {
        for good in ["2301**********2026", "2301********202X", "23010****12345x", "******************"] {
            #expect(FormValidation.isMaskedIDNumber(good), "\(good)")
        }
        for bad in ["230102199001011234", "2301***1990010112", "2301****", "2301**********20261", "2301**********２026",
            "2301**********2026 ", "2301**********20a6", "2301**********2\u{301}26"]
        {
            #expect(!FormValidation.isMaskedIDNumber(bad), "\(bad)")
        }
    }
}
