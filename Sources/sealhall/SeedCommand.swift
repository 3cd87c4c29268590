import ArgumentParser
import Events
import Foundation

/// `sealhall seed`: load `seeds/` into the store (again loading changes nothing) and list the demo logins.
struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Load departments, demo accounts, seals and the catalog from seeds/ (idempotent).")
    @OptionGroup var store: StoreOptions
    @Option(help: "The seeds directory.") var seeds = "./seeds"

    func run() async throws {
        let seeds = try Seeds(directory: seeds)
        let log = try EventLog(directory: store.data, options: LogOptions(upcasters: EventCodec.upcasters))
        let processor = try CommandProcessor(log: log)
        let recorded = try await processor.load(seeds)
        let summary = processor.withState { state in
            "departments \(state.departments.count), accounts \(state.accounts.count), seals \(state.seals.count), "
                + "catalog items \(state.items.count), applications \(state.applications.count)"
        }
        await log.close()
        print("seeded \(store.data): \(recorded) new commands; \(summary)")
        print("demo accounts (学/工号  姓名  角色):")
        for account in seeds.accounts {
            let roles = account.roles.map { "\($0.role.rawValue)@\($0.scope)" }.joined(separator: ", ")
            print("  \(account.account)  \(account.name)  \(roles.isEmpty ? account.kind.rawValue : roles)")
        }
    }
}
