import Events
import Foundation

/// The event log's benchmark: durable single commits as the baseline, group commit against it, and reads
/// of a large log. Every figure is measured in the same run, on fresh stores under `scratch`.
struct LogBenchmark {
    let scratch: String
    let logEvents: Int
    /// One entry in this many carries the tag whose reading is measured: 1,000 entries in a 1M-event log.
    static let tagSpacing = 1000
    static let measuredTag = "seal:S-BENCH-TARGET"

    func run() async throws {
        try? FileManager.default.removeItem(atPath: scratch)
        let single = try await singleCommits(count: 2000)
        report("single_commit", single, "events/s")
        let grouped = try await groupCommits(appenders: 64, appendsEach: 500)
        report("group_commit_64", grouped, "events/s")
        report("group_commit_ratio", grouped / single, "x")

        let log = try EventLog(directory: scratch + "/large")
        let built = try await fill(log, events: logEvents)
        report("append_bulk", built, "events/s")
        report("read_decode", try median(of: 3) { try readAll(log) }, "events/s")
        report("tag_read_1k_in_1m", try median(of: 21) { try readTag(log) }, "ms")
        await log.close()
        try? FileManager.default.removeItem(atPath: scratch)
    }

    /// One appender, one event per append: every append its own durable transaction.
    private func singleCommits(count: Int) async throws -> Double {
        let log = try EventLog(directory: scratch + "/single")
        let started = ContinuousClock.now
        for index in 0..<count {
            _ = try await log.append(Self.request(index))
        }
        let rate = Double(count) / seconds(since: started)
        await log.close()
        return rate
    }

    /// Many appenders at once, each waiting for its own durable append before sending the next.
    private func groupCommits(appenders: Int, appendsEach: Int) async throws -> Double {
        let log = try EventLog(directory: scratch + "/group")
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for appender in 0..<appenders {
                group.addTask {
                    for index in 0..<appendsEach {
                        _ = try await log.append(Self.request(appender * appendsEach + index))
                    }
                }
            }
            try await group.waitForAll()
        }
        let rate = Double(appenders * appendsEach) / seconds(since: started)
        let counts = log.writerCounts
        report("group_commit_64_batch", Double(counts.units) / Double(counts.batches), "appends/commit")
        await log.close()
        return rate
    }

    /// Fills `log` with `events` events, a thousand per append.
    private func fill(_ log: EventLog, events: Int) async throws -> Double {
        let started = ContinuousClock.now
        for chunk in stride(from: 0, to: events, by: 1000) {
            let batch = (chunk..<min(chunk + 1000, events)).map(Self.event)
            _ = try await log.append(AppendRequest(events: batch, actor: "bench", commandId: "fill-\(chunk)"))
        }
        return Double(events) / seconds(since: started)
    }

    private func readAll(_ log: EventLog) throws -> Double {
        let started = ContinuousClock.now
        var count = 0
        var payloadBytes = 0
        try log.forEachEntry(from: 1) { entry in
            count += 1
            payloadBytes &+= entry.payload.count + entry.tags.count
        }
        precondition(count == logEvents && payloadBytes > 0, "read \(count) of \(logEvents) entries")
        return Double(count) / seconds(since: started)
    }

    private func readTag(_ log: EventLog) throws -> Double {
        let started = ContinuousClock.now
        let entries = try log.tagged(Self.measuredTag)
        precondition(entries.count == logEvents / Self.tagSpacing, "read \(entries.count) tagged entries")
        return seconds(since: started) * 1000
    }

    /// A realistic entry: an application's event, tagged with its application, account and department.
    static func event(_ index: Int) -> NewEvent {
        let application = "A2026-\(String(index / 5, radix: 10))"
        let types = ["ApplicationSubmitted", "StepApproved", "StepApproved", "SealAffixed", "ApplicationCompleted"]
        var tags = ["application:\(application)", "account:T\(index % 4000)", "department:D\(index % 60)"]
        if index % tagSpacing == 0 { tags.append(measuredTag) }
        let payload = #"{"applicationId":"\#(application)","step":"office-review","comment":"同意","by":"T\#(index % 4000)","at":"2026-11-29T08:00:00+08:00"}"#
        return NewEvent(
            stream: "application:\(application)", type: types[index % 5], tags: tags, payload: Array(payload.utf8))
    }

    static func request(_ index: Int) -> AppendRequest {
        AppendRequest(events: [event(index)], actor: "bench", commandId: "bench-\(index)")
    }

    private func median(of runs: Int, _ measure: () throws -> Double) rethrows -> Double {
        var figures = [Double]()
        for _ in 0..<runs { figures.append(try measure()) }
        return sealhall.median(figures)
    }

}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// The middle figure (the mean of the two middle ones for an even count); 0 for none.
func median(_ figures: [Double]) -> Double {
    let sorted = figures.sorted()
    guard !sorted.isEmpty else { return 0 }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// Prints one figure as `bench <name> <value> <unit>`.
func report(_ name: String, _ value: Double, _ unit: String) {
    print("bench \(name) \(String(format: value < 100 ? "%.2f" : "%.0f", value)) \(unit)")
    fflush(nil)
}
