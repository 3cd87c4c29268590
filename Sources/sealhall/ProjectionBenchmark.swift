import Events
import Foundation
import Projections

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The read models' benchmark on a generated history of `events` events (the demo's stories, most of them
/// finished, played through the ordinary commands): reading and decoding the log as the baseline, rebuilding
/// every read model against it, a served hall's startup time and memory on that store, and its first start on
/// the log alone.
struct ProjectionBenchmark {
    /// How many alternated rounds of reading and rebuilding are measured.
    static let rounds = 3

    let scratch: String
    let events: Int
    /// Leaves the generated store under `scratch/history` for looking into.
    let keepHistory: Bool

    func run() async throws {
        let directory = scratch + "/history"
        try? FileManager.default.removeItem(atPath: directory)
        try await generate(into: directory)

        let log = try EventLog(directory: directory, options: LogOptions(upcasters: EventCodec.upcasters))
        let head = log.head.position
        report("history_events", Double(head), "events")
        let engine = try await ProjectionEngine(log: log, projections: ReadModels.all)
        // The baseline and the rebuild alternate, round by round, and are reported as medians (the ratio as the
        // median of each round's own): the machine's speed drifts by a fifth and more within one run.
        var reads = [Double](), rebuilds = [Double]()
        for round in 1...Self.rounds {
            let read = try readDecode(log)
            let started = ContinuousClock.now
            let timings = try await engine.rebuild(ReadModels.all.map(\.name))
            let rebuild = Double(head) / seconds(since: started)
            print("round \(round): read_decode \(Int(read)) events/s, rebuild_all \(Int(rebuild)) events/s, ratio "
                + String(format: "%.3f", rebuild / read) + " (\(timings))")
            reads.append(read)
            rebuilds.append(rebuild)
        }
        report("history_read_decode", median(reads), "events/s")
        report("rebuild_all", median(rebuilds), "events/s")
        report("rebuild_ratio", median(zip(rebuilds, reads).map { $0 / $1 }), "x")
        await engine.close()
        await log.close()

        let (startup, rss, anonymous) = try await serve(directory)
        report("startup_1m", startup, "ms")
        report("rss_1m", rss, "MB")
        report("rss_1m_anonymous", anonymous, "MB")
        report("startup_1m_unbuilt", try await firstStartWithoutReadModels(copying: directory), "ms")
        if !keepHistory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Serves a copy of the log alone, without its read-model store, as a hall restored from a copy of its log
    /// opens: every read model is built before it answers. Returns the time until it does.
    private func firstStartWithoutReadModels(copying directory: String) async throws -> Double {
        let logOnly = scratch + "/history-log-only"
        try? FileManager.default.removeItem(atPath: logOnly)
        try FileManager.default.createDirectory(atPath: logOnly, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: logOnly) }
        try FileManager.default.copyItem(atPath: directory + "/data.mdb", toPath: logOnly + "/data.mdb")
        return try await serve(logOnly).milliseconds
    }

    /// Seeds a store and plays demo histories of 10,000 applications (97 % finished) until it holds `events`
    /// events. The bulk load syncs once at the end rather than at every command.
    private func generate(into directory: String) async throws {
        var options = LogOptions(upcasters: EventCodec.upcasters)
        options.syncsEachCommit = false
        let log = try EventLog(directory: directory, options: options)
        let processor = try await CommandProcessor.open(log: log)
        try await processor.load(Seeds(directory: "./seeds"))
        let started = ContinuousClock.now
        var seed: UInt64 = 1
        while log.head.position < UInt64(events) {
            try await DemoHistory(seed: seed, applications: 10_000, finishedShare: 0.97).play(on: processor) { done, _ in
                if done % 500 == 0 {
                    ProgressLine.show(name: "history", done: log.head.position, total: UInt64(events), since: started)
                }
            }
            seed += 1
        }
        print()
        await log.close()
    }

    /// Reads and decodes every entry's domain event: what a rebuild cannot do without.
    private func readDecode(_ log: EventLog) throws -> Double {
        let started = ContinuousClock.now
        var count = 0
        try log.forEachEntry(from: 1) { entry in
            _ = try CommandProcessor.recorded(from: entry)
            count += 1
        }
        return Double(count) / seconds(since: started)
    }

    /// Starts `sealhall serve` on the store and measures the time until `/health` answers, then its resident
    /// memory — all of it, and the anonymous part alone (without the store's file pages it has mapped, which
    /// belong to the page cache); stops it with SIGTERM.
    private func serve(_ directory: String) async throws -> (milliseconds: Double, megabytes: Double, anonymous: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        process.arguments = ["serve", "--data", directory, "--port", "0", "--no-seed"]
        process.environment = ["SEALHALL_LOG_LEVEL": "warning"]
        let output = Pipe()
        process.standardOutput = output
        let started = ContinuousClock.now
        try process.run()
        let banner = "seal-hall 已启动："
        var text = ""
        while !text.contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw ValidationFailure("serve ended: \(text)") }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first, line.hasPrefix(banner) else {
            throw ValidationFailure("no URL in: \(text)")
        }
        let url = String(line.dropFirst(banner.count))
        let (_, response) = try await URLSession.shared.data(from: URL(string: url + "health")!)
        let elapsed = seconds(since: started) * 1000
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw ValidationFailure("health failed") }
        let status = try String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
        func megabytes(_ field: String) -> Double {
            let kilobytes = status.split(separator: "\n").first { $0.hasPrefix(field) }
                .flatMap { Double($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
            return kilobytes / 1024
        }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return (elapsed, megabytes("VmRSS:"), megabytes("RssAnon:"))
    }
}
