import ArgumentParser
import Events
import Foundation
import Projections

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
            let (log, engine) = try await store.openEngine()
            let processor = try await CommandProcessor.open(log: log, observer: engine)
            try await processor.load(Seeds(directory: seeds))
            let started = ContinuousClock.now
            try await DemoHistory(seed: seed, applications: applications).play(on: processor) { done, total in
                ProgressLine.show(
                    name: "demo", done: UInt64(done), total: UInt64(total), since: started, unit: "applications")
            }
            print()
            let figures = try PortalFiguresProjection.read(from: engine).figures
            print("当前正在办件 \(figures.inProgress)  已完成办件 \(figures.completed)  总办件数量 \(figures.total)")
            await log.close()
        }
    }
}
