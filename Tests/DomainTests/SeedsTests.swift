import Foundation
import Testing
import TestSupport

@testable import Events

@Suite("Seeds")
struct SeedsTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../seeds").standardized.path

    @Test("the seeds load through the ordinary commands, and loading them again records nothing")
    func loading() async throws {
        let seeds = try Seeds(directory: Self.directory)
        try await withTemporaryLog(options: LogOptions(upcasters: EventCodec.upcasters)) { (log: EventLog) async throws in
            let processor = try await CommandProcessor.open(log: log)
            let recorded = try await processor.load(seeds)
            #expect(recorded == seeds.commands.count)
            let head = log.head
            let again = try await processor.load(seeds)
            #expect(again == 0)
            #expect(log.head == head)
            processor.withState { state in
                #expect(state.departments.count == seeds.departments.count)
                #expect(state.items.count == seeds.items.count)
                #expect(Set(state.items.values.compactMap(\.kind)) == Set(ApplicationKind.allCases))
                #expect(state.items.values.filter { $0.kind != nil }.allSatisfy { $0.online && $0.departmentId == "D01" })
                #expect(state.seals.values.allSatisfy { $0.status == .active && state.accounts[$0.custodian ?? ""] != nil })
                #expect(Set(state.seals.values.map(\.category)) == Set(SealCategory.allCases.filter { $0 != .departmentParty }))
                #expect(state.accounts.values.allSatisfy { $0.isActivated })
                let roles = Set(state.accounts.values.flatMap(\.roles).map(\.role))
                #expect(roles == Set(Role.allCases))
            }
            #expect(try log.stream("department:D01").first?.actor == CommandContext.systemActor)
            #expect(try log.stream("account:20010001").last?.actor == "20010001")
        }
    }

    @Test("a demo applicant can carry a seal-use application through to the keeper with the seeded cast")
    func seededCastWorks() async throws {
        let seeds = try Seeds(directory: Self.directory)
        var world = World()
        for (command, actor) in seeds.commands {
            try world.run(command, as: actor)
        }
        let form = ApplicationForm.sealUse(
            SealUseForm(seals: ["S101", "S005"], documentTitle: "横向课题合同", reason: "签订合同", copies: 2, contractAmount: 120_000))
        let id = try world.approved(form, as: "20010001")
        #expect(world.application(id).route.compactMap(\.decidedBy) == ["20010002", "20010004", "20010003", "20010006"])
        try world.fulfil(id, .affix(seal: "S101", impressions: 2, scan: nil), as: "20010009")
        try world.fulfil(id, .affix(seal: "S005", impressions: 2, scan: nil), as: "20010008")
        #expect(world.application(id).status == .completed)
    }
}
