import Foundation
import Testing
import TestSupport

@testable import Events

@Suite("Fulfilment")
struct FulfilmentTests {
    let imprint = String(repeating: "cd", count: 32)

    @Test("seal use with take-out: check out, affix, check in, then complete; each step in its order")
    func takeOut() throws {
        var world = try Cast.world()
        let seal = Cast.seal(.administrative)
        let id = try world.approved(Cast.sealUse([.administrative], takeOut: true))
        #expect(world.application(id).status == .approved)
        #expect(world.refuse(.fulfil(applicationId: id, action: .affix(seal: seal, impressions: 2, scan: nil), expectedVersion: world.application(id).version), as: Cast.keeper)?.code == "invalid-transition")
        try world.fulfil(id, .checkOut(seal: seal), as: Cast.keeper)
        #expect(world.state.seals[seal]?.checkedOutFor == id)
        try world.fulfil(id, .affix(seal: seal, impressions: 2, scan: nil), as: Cast.keeper)
        #expect(world.application(id).status == .approved)
        try world.fulfil(id, .checkIn(seal: seal), as: Cast.keeper)
        #expect(world.application(id).status == .completed)
        #expect(world.state.seals[seal]?.uses == 1 && world.state.seals[seal]?.checkedOutFor == nil)
    }

    @Test("every seal of the application is affixed once, by its own keeper")
    func affixEachSeal() throws {
        var world = try Cast.world()
        let id = try world.approved(Cast.sealUse([.department, .contract], amount: 30_000))
        let department = Cast.seal(.department)
        let contract = Cast.seal(.contract)
        #expect(world.refuse(.fulfil(applicationId: id, action: .affix(seal: contract, impressions: 1, scan: nil), expectedVersion: world.application(id).version), as: Cast.deptKeeper)?.code == "forbidden")
        let events = try world.run(.fulfil(applicationId: id, action: .affix(seal: department, impressions: 3, scan: nil), expectedVersion: world.application(id).version), as: Cast.deptKeeper)
        guard case .sealAffixed(let row) = events.first else { throw Rejection.notFound("no affix") }
        #expect(row.impressions == 3 && row.applicant == Cast.applicant && row.departmentId == Cast.computing)
        #expect(row.approvers == [Cast.head, Cast.legal, Cast.office])
        #expect(world.refuse(.fulfil(applicationId: id, action: .affix(seal: department, impressions: 1, scan: nil), expectedVersion: world.application(id).version), as: Cast.deptKeeper)?.code == "invalid-transition")
        try world.fulfil(id, .affix(seal: contract, impressions: 1, scan: nil), as: Cast.keeper)
        #expect(world.application(id).status == .completed)
    }

    @Test("a seal that leaves active while an application names it blocks affixing, with a clear reason")
    func sealLeavingActive() throws {
        var world = try Cast.world()
        let id = try world.approved(Cast.sealUse([.department]))
        try world.run(.reportSealLost(seal: Cast.seal(.department), comment: "遗失"), as: Cast.office)
        let rejection = world.refuse(.fulfil(applicationId: id, action: .affix(seal: Cast.seal(.department), impressions: 1, scan: nil), expectedVersion: world.application(id).version), as: Cast.deptKeeper)
        #expect(rejection?.code == "seal-not-active")
        #expect(rejection?.message.contains("不能用印") == true)
        #expect(world.refuse(.submit(form: Cast.sealUse([.department]), attachments: [Cast.attachment]), as: Cast.applicant)?.code == "seal-not-active")
    }

    @Test("a keeper's refusal returns the application to the applicant, but not while a seal of it is out")
    func refusal() throws {
        var world = try Cast.world()
        let id = try world.approved(Cast.sealUse([.department]))
        try world.fulfil(id, .refuse(seal: Cast.seal(.department), comment: "文件与申请不符"), as: Cast.deptKeeper)
        #expect(world.application(id).status == .returned)

        let seal = Cast.seal(.administrative)
        let takeOut = try world.approved(Cast.sealUse([.administrative], takeOut: true))
        try world.fulfil(takeOut, .checkOut(seal: seal), as: Cast.keeper)
        #expect(world.refuse(.fulfil(applicationId: takeOut, action: .refuse(seal: seal, comment: "不符"), expectedVersion: world.application(takeOut).version), as: Cast.keeper)?.code == "invalid-transition")
        try world.fulfil(takeOut, .checkIn(seal: seal), as: Cast.keeper)
        try world.fulfil(takeOut, .refuse(seal: seal, comment: "不符"), as: Cast.keeper)
        #expect(world.state.seals[seal]?.checkedOutFor == nil)
    }

    @Test("carving: approval registers the seal, then filing, making and activation, in that order")
    func carving() throws {
        var world = try Cast.world()
        let id = try world.approved(Cast.carving(.department))
        let sealId = try #require(world.application(id).fulfilment.carvedSeals.first)
        #expect(world.state.seals[sealId]?.status == .approved)
        let activate = FulfilmentAction.activate(imprint: imprint, noticeNumber: "党办〔2026〕3号", effectiveDate: world.now)
        #expect(world.refuse(.fulfil(applicationId: id, action: activate, expectedVersion: world.application(id).version), as: Cast.office)?.code == "invalid-transition")
        try world.fulfil(id, .file(filingNumber: "公安备2026-001"), as: Cast.office)
        try world.fulfil(id, .recordMade(maker: "哈尔滨某刻章厂"), as: Cast.office)
        try world.fulfil(id, activate, as: Cast.office)
        let seal = try #require(world.state.seals[sealId])
        #expect(seal.status == .active && seal.custodian == Cast.deptKeeper && seal.imprint == imprint)
        #expect(world.application(id).status == .completed)
    }

    @Test("a replacement's activation suspends the seal it replaces; a lost-remake needs the old seal lost")
    func replacement() throws {
        var world = try Cast.world()
        let old = Cast.seal(.department)
        #expect(world.refuse(.submit(form: Cast.carving(.department, reason: .lostRemake, replaces: old), attachments: []), as: Cast.applicant)?.code == "validation")
        let id = try world.approved(Cast.carving(.department, reason: .replace, replaces: old))
        try world.fulfil(id, .file(filingNumber: "公安备2026-002"), as: Cast.office)
        try world.fulfil(id, .recordMade(maker: "刻章厂"), as: Cast.office)
        try world.fulfil(id, .activate(imprint: imprint, noticeNumber: "党办〔2026〕4号", effectiveDate: world.now), as: Cast.office)
        #expect(world.state.seals[old]?.status == .suspended)
    }

    @Test("abolition: approval suspends at once; hand-in and seal-up complete it; destruction needs two supervisors")
    func abolition() throws {
        var world = try Cast.world()
        let seal = Cast.seal(.business)
        let id = try world.submit(Cast.abolition(seal))
        #expect(world.refuse(.submit(form: Cast.abolition(seal), attachments: []), as: Cast.colleague)?.code == "validation")
        try world.approveAll(id)
        #expect(world.state.seals[seal]?.status == .suspended)
        try world.fulfil(id, .handIn(handedInBy: "陈监印", receivedBy: "王党办"), as: Cast.office)
        try world.fulfil(id, .sealUp(location: "党政办保险柜"), as: Cast.office)
        #expect(world.application(id).status == .completed && world.state.seals[seal]?.status == .sealedUp)
        #expect(world.refuse(.destroySeal(seal: seal, supervisors: [Cast.auditor, Cast.auditor]), as: Cast.office)?.code == "validation")
        try world.run(.destroySeal(seal: seal, supervisors: [Cast.auditor, Cast.legal]), as: Cast.office)
        #expect(world.state.seals[seal]?.status == .destroyed)
    }

    @Test("a lost seal can only be abolished, and its abolition completes at approval")
    func lostSeal() throws {
        var world = try Cast.world()
        let seal = Cast.seal(.department)
        try world.run(.reportSealLost(seal: seal, comment: nil), as: Cast.deptKeeper)
        #expect(world.refuse(.handOverSeal(seal: seal, to: Cast.keeper), as: Cast.office)?.code == "invalid-transition")
        let id = try world.approved(Cast.abolition(seal))
        #expect(world.application(id).status == .completed)
        #expect(world.state.seals[seal]?.status == .lost && world.state.seals[seal]?.abolishedBy == id)
    }

    @Test("a letter gets the next serial of its type and year, reads as expired after its days, and its stub changes once")
    func letters() throws {
        var world = try Cast.world()
        let first = try world.approved(Cast.letter(validDays: 3))
        let second = try world.approved(Cast.letter(type: .party))
        try world.fulfil(first, .issue, as: Cast.office)
        try world.fulfil(second, .issue, as: Cast.office)
        let administrative = try #require(world.state.letters["administrative-2026-1"])
        #expect(administrative.number == "哈理工介字〔2026〕第0001号")
        #expect(world.state.letters["party-2026-1"]?.number == "哈理工党介字〔2026〕第0001号")
        #expect(administrative.status(at: world.now + 2 * 86_400) == .issued)
        #expect(administrative.status(at: world.now + 4 * 86_400) == .expired)
        try world.run(.voidLetter(serial: administrative.serial, comment: "填写错误"), as: Cast.office)
        #expect(world.refuse(.returnLetter(serial: administrative.serial, comment: nil), as: Cast.office)?.code == "invalid-transition")
        #expect(world.state.letters[administrative.serial]?.status(at: world.now + 9 * 86_400) == .voided)
    }

    @Test("certificates: copies complete at once; originals are lent, overdue past their due date, and returned")
    func certificates() throws {
        var world = try Cast.world()
        let copies = try world.approved(Cast.certificate([.certificateDuplicate], original: false))
        try world.fulfil(copies, .provideCopies(copies: 2), as: Cast.office)
        #expect(world.application(copies).status == .completed)

        let original = try world.approved(Cast.certificate([.legalRepID], original: true))
        #expect(world.refuse(.fulfil(applicationId: original, action: .returnOriginals(comment: nil), expectedVersion: world.application(original).version), as: Cast.office)?.code == "invalid-transition")
        try world.fulfil(original, .lend, as: Cast.office)
        #expect(world.state.overdueLoans(at: world.now + 6 * 86_400).isEmpty)
        #expect(world.state.overdueLoans(at: world.now + 8 * 86_400).map(\.id) == [original])
        try world.fulfil(original, .returnOriginals(comment: "完好"), as: Cast.office)
        #expect(world.application(original).status == .completed)
        #expect(world.state.overdueLoans(at: world.now + 8 * 86_400).isEmpty)
    }

    @Test("a taken-out seal is overdue past its return time")
    func overdueSeals() throws {
        var world = try Cast.world()
        let seal = Cast.seal(.administrative)
        let id = try world.approved(Cast.sealUse([.administrative], takeOut: true))
        try world.fulfil(id, .checkOut(seal: seal), as: Cast.keeper)
        #expect(world.state.overdueSeals(at: world.now + 86_400).isEmpty)
        #expect(world.state.overdueSeals(at: world.now + 3 * 86_400).map(\.id) == [seal])
    }
}
