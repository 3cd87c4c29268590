import ArgumentParser
import Foundation

/// `sealhall bench`: the benchmarks, each figure printed as `bench <name> <value> <unit>`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the event log and the payload codec on this machine (run a release build).")
    @Option(help: "A scratch directory for the benchmark stores (emptied first).") var scratch = "./.bench"
    @Option(help: "Events in the large log that reads are measured on.") var logEvents = 1_000_000
    @Option(help: "Seconds of load per HTTP figure.") var httpSeconds = 10
    @Option(help: "Alternating rounds of the HTTP baseline and the commands, reported as medians.") var httpRounds = 3
    @Option(help: "Events in the generated history the read models are rebuilt from.") var historyEvents = 1_000_000
    @Flag(help: "Keep the generated history's store under <scratch>/history.") var keepHistory = false
    @Option(help: "Which benchmarks: log, payload, projections, http (comma-separated; all by default).")
    var only = "log,payload,projections,http"

    func run() async throws {
        let selected = Set(only.split(separator: ",").map(String.init))
        if selected.contains("log") { try await LogBenchmark(scratch: scratch, logEvents: logEvents).run() }
        if selected.contains("payload") { try PayloadBenchmark().run() }
        if selected.contains("projections") {
            try await ProjectionBenchmark(scratch: scratch, events: historyEvents, keepHistory: keepHistory).run()
        }
        if selected.contains("http") { try await HTTPBenchmark(scratch: scratch, seconds: httpSeconds, rounds: httpRounds).run() }
    }
}
