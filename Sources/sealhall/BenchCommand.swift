import ArgumentParser

/// `sealhall bench`: the benchmarks, each figure printed as `bench <name> <value> <unit>`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the event log and the payload codec on this machine (run a release build).")
    @Option(help: "A scratch directory for the benchmark stores (emptied first).") var scratch = "./.bench"
    @Option(help: "Events in the large log that reads are measured on.") var logEvents = 1_000_000

    func run() async throws {
        try await LogBenchmark(scratch: scratch, logEvents: logEvents).run()
        try PayloadBenchmark().run()
    }
}
