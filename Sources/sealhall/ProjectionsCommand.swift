import ArgumentParser
import Events
import Foundation
import Projections

/// `sealhall projections …`: see the read models and rebuild them from the log.
struct ProjectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projections",
        abstract: "Show the read models, or rebuild them from the log beside the served ones.",
        subcommands: [Status.self, Rebuild.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each read model's version, position and state.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let (log, engine) = try await store.openEngine()
            for status in try engine.statuses() {
                let stale = try engine.stale.contains(status.name) ? " (stale: code is newer)" : ""
                print("\(status.name)  v\(status.version)  position \(status.position)  \(status.status)\(stale)")
            }
            await engine.close()
            await log.close()
        }
    }

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild read models from the log beside the served ones, then swap them in.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The read model to rebuild (see `projections status`).") var name: String?
        @Flag(help: "Rebuild every read model.") var all = false

        func validate() throws {
            guard (name == nil) != !all else { throw ValidationError("name one read model, or give --all") }
        }

        func run() async throws {
            let (log, engine) = try await store.openEngine()
            // Every model named is rebuilt in one pass over the log.
            let names = all ? engine.projections.map(\.name) : [name ?? ""]
            let label = all ? "all" : names.joined()
            let started = ContinuousClock.now
            let timings = try await engine.rebuild(names) { done, total in
                ProgressLine.show(name: label, done: done, total: total, since: started)
            }
            print()
            print(timings)
            await engine.close()
            await log.close()
        }
    }
}

extension StoreOptions {
    /// The log with the domain's upcasters, and the read models' engine on it.
    func openEngine() async throws -> (EventLog, ProjectionEngine) {
        let log = try EventLog(directory: data, options: LogOptions(upcasters: EventCodec.upcasters))
        return (log, try await ProjectionEngine(log: log, projections: ReadModels.all))
    }
}
