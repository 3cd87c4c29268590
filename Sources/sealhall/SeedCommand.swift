import ArgumentParser
import Events
import Foundation
import Projections
import Server

/// `sealhall seed`: load `seeds/` into the store (again loading changes nothing) and list the demo logins. A new
/// store is bootstrapped as `serve` bootstraps it (the `admin` account, the demo password for each seeded account).
struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Load departments, demo accounts, seals and the catalog from seeds/ (idempotent).")
    @OptionGroup var store: StoreOptions
    @Option(help: "The seeds directory.") var seeds = "./seeds"

    func run() async throws {
        let seeds = try Seeds(directory: seeds)
        let hall = try await HallStore.open(directory: store.data)
        let bootstrap = Bootstrap(
            adminPassword: ProcessInfo.processInfo.environment["SEALHALL_ADMIN_PASSWORD"], seedsDirectory: self.seeds)
        let report = try await bootstrap.run(on: hall)
        let processor = hall.processor
        let recorded = try await processor.load(seeds)
        let summary = processor.withState { state in
            "departments \(state.departments.count), accounts \(state.accounts.count), seals \(state.seals.count), "
                + "catalog items \(state.items.count), open applications \(state.applications.count)"
        }
        let figures = try PortalFiguresProjection.read(from: hall.engine).figures
        await hall.close()
        if let line = report.adminPasswordLine { print(line) }
        print("seeded \(store.data): \(report.wasNew ? "a new store, bootstrapped" : "\(recorded) new commands"); \(summary)")
        print("portal: \(figures.enteredItems) 项当前进驻事项, \(figures.onlineItems) 条可在线办理事项, \(figures.departments) 个进驻服务部门, "
            + "在线办理覆盖率 \(figures.onlinePercent)%, 当前正在办件 \(figures.inProgress), 已完成办件 \(figures.completed)")
        print("demo accounts (学/工号  姓名  角色; password \(report.wasNew ? bootstrap.demoPassword : "as set when the store was new")):")
        for account in seeds.accounts {
            let roles = account.roles.map { "\($0.role.rawValue)@\($0.scope)" }.joined(separator: ", ")
            print("  \(account.account)  \(account.name)  \(roles.isEmpty ? account.kind.rawValue : roles)")
        }
    }
}
