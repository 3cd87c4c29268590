import Foundation
import Testing
import TestSupport

@testable import Events

@Suite("Reading")
struct LogReadingTests {
    /// A deterministic random history: 5,000 events over 40 streams and 30 tags, appended in random batches,
    /// with the clock moving a minute per batch. Enough to cross the 4,096-entry read chunks.
    struct History {
        var entries: [(position: UInt64, stream: String, tags: [String], label: String, batch: Int)] = []
    }

    static func appendHistory(to log: EventLog, clock: TestClock) async throws -> History {
        var random = SplitMix64(seed: 2026)
        var history = History()
        var batch = 0
        while history.entries.count < 5000 {
            var events = [NewEvent]()
            for _ in 0..<Int.random(in: 1...40, using: &random) {
                let stream = "stream-\(Int.random(in: 0..<40, using: &random))"
                let tags = (0..<Int.random(in: 0...4, using: &random)).map { _ in
                    "tag-\(Int.random(in: 0..<30, using: &random))"
                }
                let label = "e\(history.entries.count + events.count)"
                events.append(event(stream, label, tags: tags))
            }
            let result = try await log.append(request(events))
            for (event, position) in zip(events, result.positions) {
                history.entries.append((position, event.stream, event.tags, labelOfNew(event), batch))
            }
            batch += 1
            clock.advance(by: 60)
        }
        return history
    }

    private static func labelOfNew(_ event: NewEvent) -> String {
        String(decoding: event.payload, as: UTF8.self).split(separator: "\"")[3].description
    }

    @Test("reading by tag and by stream returns exactly the entries appended with them, in order")
    func tagAndStreamReads() async throws {
        let clock = TestClock()
        try await withTemporaryLog(options: LogOptions(clock: clock.read)) { (log: EventLog) async throws in
            let history = try await Self.appendHistory(to: log, clock: clock)
            for tag in (0..<30).map({ "tag-\($0)" }) {
                let expected = history.entries.filter { $0.tags.contains(tag) }.map(\.label)
                #expect(try log.tagged(tag).map(label) == expected, "tag \(tag)")
            }
            for stream in (0..<40).map({ "stream-\($0)" }) {
                let expected = history.entries.filter { $0.stream == stream }.map(\.label)
                let entries = try log.stream(stream)
                #expect(entries.map(label) == expected, "stream \(stream)")
                #expect(entries.map(\.streamVersion) == Array(1...UInt64(expected.count)))
                #expect(try log.stream(stream, fromVersion: 3).map(label) == Array(expected.dropFirst(2)))
            }
            #expect(try log.tagged("tag-unused").isEmpty)
            #expect(try log.stream("stream-unused").isEmpty)
            #expect(try log.tagged("tag-1", limit: 3).count == 3)
        }
    }

    @Test("tag reads cut at a position or at a time")
    func tagReadsAsOf() async throws {
        let clock = TestClock()
        try await withTemporaryLog(options: LogOptions(clock: clock.read)) { (log: EventLog) async throws in
            let start = clock.read()
            let history = try await Self.appendHistory(to: log, clock: clock)
            let tagged = history.entries.filter { $0.tags.contains("tag-7") }
            let cutPosition = history.entries[2500].position
            #expect(
                try log.tagged("tag-7", through: cutPosition).map(label)
                    == tagged.filter { $0.position <= cutPosition }.map(\.label))
            let cutBatch = history.entries[3000].batch
            let cutTime = start.addingTimeInterval(Double(cutBatch) * 60)
            #expect(
                try log.tagged("tag-7", asOf: cutTime).map(label)
                    == tagged.filter { $0.batch <= cutBatch }.map(\.label))
        }
    }

    @Test("walking the whole log crosses read chunks without losing or repeating an entry")
    func forwardReads() async throws {
        let clock = TestClock()
        try await withTemporaryLog(options: LogOptions(clock: clock.read)) { (log: EventLog) async throws in
            let history = try await Self.appendHistory(to: log, clock: clock)
            var positions = [UInt64]()
            try log.forEachEntry(from: 1) { positions.append($0.position) }
            #expect(positions == history.entries.map(\.position))
            #expect(try log.entries(from: 4090, limit: 20).map(\.position) == Array(4090...4109))
            #expect(try log.entry(at: UInt64(history.entries.count) + 1) == nil)
        }
    }

    @Test("a subscription yields the past, then each new entry as it commits, and ends when the log closes")
    func subscription() async throws {
        try await withTemporaryDirectory { directory in
            let log = try EventLog(directory: directory)
            _ = try await log.append(request([event("s", "old")]))
            let reader = Task {
                var labels = [String?]()
                for try await entry in log.subscribe(from: 1, pollInterval: .seconds(3600)) {
                    labels.append(label(of: entry))
                    if labels.count == 4 {
                        return labels
                    }
                }
                return labels
            }
            for index in 1...3 {
                _ = try await log.append(request([event("s", "new\(index)")]))
            }
            #expect(try await reader.value == ["old", "new1", "new2", "new3"])

            let waiting = Task {
                var count = 0
                for try await _ in log.subscribe(from: log.head.position + 1, pollInterval: .seconds(3600)) {
                    count += 1
                }
                return count
            }
            await log.close()
            #expect(try await waiting.value == 0)
        }
    }

    @Test("old schema versions are upcast on read; the stored entries and their chain stay as written")
    func upcasting() async throws {
        try await withTemporaryDirectory { directory in
            let log = try EventLog(directory: directory)
            _ = try await log.append(request([NewEvent(stream: "seal:S1", type: "SealRegistered", payload: Array("v1".utf8))]))
            _ = try await log.append(request([event("seal:S1", "untouched", type: "Other")]))
            await log.close()

            let chain = UpcasterChain([
                Upcaster(type: "SealRegistered", fromVersion: 1) { $0 + Array("→v2".utf8) },
                Upcaster(type: "SealRegistered", fromVersion: 2) { $0 + Array("→v3".utf8) },
            ])
            let upcasting = try EventLog(directory: directory, options: LogOptions(upcasters: chain))
            let entries = try upcasting.entries(from: 1, limit: 2)
            #expect(String(decoding: entries[0].payload, as: UTF8.self) == "v1→v2→v3")
            #expect(entries[0].schemaVersion == 3)
            #expect(label(of: entries[1]) == "untouched" && entries[1].schemaVersion == 1)
            #expect(try upcasting.tagged("none").isEmpty)
            #expect(try upcasting.stream("seal:S1").first?.schemaVersion == 3)
            #expect(try upcasting.eventRecords(from: 1, limit: 2) == entries.map(EventRecord.init))
            #expect(try upcasting.verify().ok)
            await upcasting.close()
        }
    }

    @Test("a replay's records carry what the entries do, in order, across read chunks and from any position")
    func eventRecords() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_795_000_000.123456))
        try await withTemporaryLog(options: LogOptions(clock: clock.read)) { (log: EventLog) async throws in
            _ = try await Self.appendHistory(to: log, clock: clock)
            let entries = try log.entries(from: 1, limit: .max)
            #expect(try log.eventRecords(from: 1, limit: .max) == entries.map(EventRecord.init))
            #expect(try log.eventRecords(from: 4090, limit: 20) == entries[4089..<4109].map(EventRecord.init))
            #expect(Set(entries.map(\.recordedAt)).count > 100)
        }
    }

    @Test("entries show as JSON with their payload embedded")
    func jsonView() async throws {
        try await withTemporaryLog { (log: EventLog) async throws in
            _ = try await log.append(request([event("s", "印章", tags: ["seal:S1"])]))
            _ = try await log.append(request([NewEvent(stream: "s", type: "Binary", payload: [0xFF, 0x00])]))
            let entries = try log.entries(from: 1, limit: 2)
            let first = try JSONSerialization.jsonObject(with: Data(entries[0].jsonLine().utf8)) as? [String: Any]
            #expect((first?["payload"] as? [String: String])?["label"] == "印章")
            #expect(first?["hash"] as? String == entries[0].hash.hex)
            #expect(first?["tags"] as? [String] == ["seal:S1"])
            #expect(entries[1].jsonObject()["payloadBase64"] as? String == "/wA=")
        }
    }
}

@Suite("Exported entries")
struct ExportedEntryTests {
    @Test("an entry's JSON line reads back to the same entry, microseconds included")
    func roundTrip() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_795_000_000.123456))
        try await withTemporaryLog(options: LogOptions(clock: clock.read)) { (log: EventLog) async throws in
            _ = try await log.append(request([event("application:A1", "印章", tags: ["seal:S1", "account:T1"])]))
            let entry = try #require(try log.entry(at: 1))
            #expect(entry.jsonLine().contains("\"recordedAt\":\"2026-11-18T11:06:40.123456Z\""))
            #expect(try LogEntry(jsonLine: entry.jsonLine()) == entry)
            #expect(throws: LogError.self) { try LogEntry(jsonLine: "{\"position\":1}") }
        }
    }

    @Test("times before 1970 and at whole seconds print and parse exactly", arguments: [-1.5, 0, 1_795_000_000, 4_102_444_800.000001])
    func times(seconds: Double) throws {
        let date = Microseconds.date(Microseconds.from(Date(timeIntervalSince1970: seconds)))
        let text = RFC3339.string(from: date)
        #expect(text.count == 27)
        #expect(RFC3339.date(from: text) == date)
    }
}
