import ArgumentParser
import Events
import Foundation
import Projections
import Server

/// `sealhall demo generate`: a realistic, deterministic history on a seeded store.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Generate demonstration data.", subcommands: [Generate.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Play a history of applications through the ordinary commands (seeds it first if needed).")
        @OptionGroup var store: StoreOptions
        @Option(help: "The seed: the same seed plays the same history.") var seed: UInt64 = 2026
        @Option(help: "How many applications (1,578 gives the real hall's figures).") var applications = 1578
        @Option(help: "The seeds directory.") var seeds = "./seeds"

        func run() async throws {
            // A new store is bootstrapped as `serve` bootstraps it, so that the demo accounts can log in to the
            // history played here; on a store with history the seeds are loaded if it lacks them.
            let hall = try await HallStore.open(directory: store.data)
            let bootstrap = Bootstrap(
                adminPassword: ProcessInfo.processInfo.environment["SEALHALL_ADMIN_PASSWORD"], seedsDirectory: seeds)
            let report = try await bootstrap.run(on: hall)
            if let line = report.adminPasswordLine { print(line) }
            let processor = hall.processor
            try await processor.load(Seeds(directory: seeds))
            let started = ContinuousClock.now
            try await DemoHistory(seed: seed, applications: applications).play(on: processor) { done, total in
                ProgressLine.show(
                    name: "demo", done: UInt64(done), total: UInt64(total), since: started, unit: "applications")
            }
            print()
            let figures = try PortalFiguresProjection.read(from: hall.engine).figures
            print("当前正在办件 \(figures.inProgress)  已完成办件 \(figures.completed)  总办件数量 \(figures.total)")
            await hall.close()
        }
    }
}
