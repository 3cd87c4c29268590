import Foundation
import Projections
import Testing
import TestSupport

@testable import Events

@Suite("Catalog")
struct CatalogTests {
    static let seeds = try! Seeds(directory: FixtureScenarios.seedsDirectory)

    @Test("departments and themes per audience count exactly the seeded items they offer")
    func groups() async throws {
        try await QueuesTests.withSeededHall { _, engine in
            for audience in Audience.allCases {
                let items = Self.seeds.items.filter { $0.audience == audience }
                let departments = try CatalogProjection.departments(from: engine, audience: audience)
                #expect(departments.map(\.id) == Set(items.map(\.department)).sorted())
                for group in departments {
                    #expect(group.itemCount == items.filter { $0.department == group.id }.count)
                    #expect(group.name == Self.seeds.departments.first { $0.id == group.id }?.name)
                }
                let themes = try CatalogProjection.themes(from: engine, audience: audience)
                #expect(themes.map(\.name) == Set(items.map(\.theme)).sorted())
                #expect(themes.reduce(0) { $0 + $1.itemCount } == items.count)
            }
            #expect(try CatalogProjection.departments(from: engine, audience: .teacher).first?.name == "党委办公室 校长办公室")
        }
    }

    @Test("items filter by audience, department, theme, Chinese substring and online only, in the seeds' order, paged")
    func filters() async throws {
        try await QueuesTests.withSeededHall { _, engine in
            let searched = try CatalogProjection.items(from: engine, CatalogQuery(search: "审批", pageSize: 100))
            #expect(searched.items.map(\.id) == Self.seeds.items.filter { $0.name.contains("审批") }.map(\.id))
            let online = try CatalogProjection.items(from: engine, CatalogQuery(audience: .teacher, department: "D01", onlineOnly: true))
            #expect(online.total == Self.seeds.items.filter { $0.department == "D01" && $0.online }.count)
            #expect(online.items.first?.kind == .sealUse && online.items.first?.guide.process.contains("本单位负责人审核") == true)
            let epidemic = try CatalogProjection.items(from: engine, CatalogQuery(audience: .student, theme: "疫情防疫"))
            #expect(epidemic.items.count == 3 && epidemic.items.allSatisfy { !$0.online })
            let page = try CatalogProjection.items(from: engine, CatalogQuery(page: 2, pageSize: 4))
            #expect(page.total == Self.seeds.items.count)
            #expect(page.items.map(\.id) == Self.seeds.items.dropFirst(4).prefix(4).map(\.id))
            #expect(try CatalogProjection.items(from: engine, CatalogQuery(search: "不存在的事项")).total == 0)
        }
    }

    @Test("visits sort the items; withdrawing and editing move them")
    func changes() async throws {
        try await QueuesTests.withSeededHall { processor, engine in
            for (item, visits) in [("letter", 3), ("seal-use", 1)] {
                for _ in 0..<visits { _ = try await processor.execute(.visitItem(id: item), actor: "20010001") }
            }
            let popular = try CatalogProjection.items(from: engine, CatalogQuery(sort: .visits))
            #expect(popular.items.prefix(3).map(\.id) == ["letter", "seal-use", Self.seeds.items.first { !["letter", "seal-use"].contains($0.id) }!.id])
            #expect(try CatalogProjection.item("letter", from: engine)?.visits == 3)

            let admin = "20010016"
            _ = try await processor.execute(.withdrawItem(id: "feedback"), actor: admin)
            _ = try await processor.execute(.editItem(ItemEdited(id: "posting", departmentId: "D03")), actor: admin)
            let departments = try CatalogProjection.departments(from: engine, audience: .teacher)
            #expect(!departments.map(\.id).contains("D14"))
            #expect(departments.first { $0.id == "D03" }?.itemCount == 2 && departments.first { $0.id == "D04" }?.itemCount == 2)
            #expect(try CatalogProjection.item("feedback", from: engine)?.withdrawn == true)
            #expect(try CatalogProjection.items(from: engine, CatalogQuery(pageSize: 100)).total == Self.seeds.items.count - 1)
        }
    }
}
