import ArgumentParser
import Events
import Foundation

/// `sealhall log …`: look into the event log.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Inspect and check the event log.",
        subcommands: [Stats.self, Tail.self, Verify.self, Dump.self, Stress.self])

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Entries, head position and hash, file size and map use.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let log = try store.openLog()
            let statistics = try log.statistics()
            await log.close()
            try printJSON([
                "entries": statistics.entries,
                "headPosition": statistics.headPosition,
                "headHash": statistics.headHash.hex,
                "fileBytes": statistics.fileBytes,
                "mapBytes": statistics.mapBytes,
                "mapUsedBytes": statistics.mapUsedBytes,
                "mapUsedPercent": Double(statistics.mapUsedBytes * 1000 / max(statistics.mapBytes, 1)) / 10,
                "pageSize": statistics.pageSize,
                "idempotencyKeys": statistics.idempotencyKeys,
                "indexRuns": statistics.indexRuns,
                "indexedThrough": statistics.indexedThrough,
                "indexPostings": statistics.indexPostings,
                "directory": store.data,
            ])
        }
    }

    struct Tail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print entries as JSON lines, from a position on; with --follow, keep printing new ones.")
        @OptionGroup var store: StoreOptions
        @Option(help: "The first position to print (default: the last 10 entries).") var from: UInt64?
        @Flag(help: "Wait for new entries and print them as they commit (Ctrl-C to stop).") var follow = false

        func run() async throws {
            let log = try store.openLog()
            let head = log.head.position
            let first = from ?? (head > 10 ? head - 9 : 1)
            if follow {
                for try await entry in log.subscribe(from: first) {
                    print(entry.jsonLine(renderPayload: EventCodec.jsonPayload))
                    fflush(nil)
                }
            } else {
                try log.forEachEntry(from: first) { print($0.jsonLine(renderPayload: EventCodec.jsonPayload)) }
            }
            await log.close()
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain and name the first entry that does not match (exit 1).")
        @OptionGroup var store: StoreOptions
        @Option(help: "Start after this trusted position (needs --trusted-hash).") var from: UInt64?
        @Option(help: "The trusted hash of the entry at --from.") var trustedHash: String?

        func run() async throws {
            let log = try store.openLog()
            var checkpoint = LogCheckpoint.start
            if let from {
                guard let hex = trustedHash, let hash = ChainHash(hex: hex) else {
                    throw ValidationError("--from needs --trusted-hash with 64 hexadecimal digits")
                }
                checkpoint = LogCheckpoint(position: from, hash: hash)
            }
            let report = try log.verify(from: checkpoint)
            await log.close()
            var object: [String: Any] = [
                "ok": report.ok, "checked": report.checked, "headPosition": report.headPosition,
                "headHash": report.headHash.hex,
            ]
            object["firstBadPosition"] = report.firstBadPosition
            object["problem"] = report.problem
            try printJSON(object)
            if !report.ok { throw ExitCode(1) }
        }
    }

    struct Dump: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every entry of one stream or one tag as JSON lines.")
        @OptionGroup var store: StoreOptions
        @Option(help: "A stream id, e.g. application:A-2026-0001.") var stream: String?
        @Option(help: "A tag, e.g. seal:S-001.") var tag: String?
        @Option(help: "With --tag: stop after this position.") var through: UInt64?

        func validate() throws {
            guard (stream == nil) != (tag == nil) else { throw ValidationError("give exactly one of --stream, --tag") }
        }

        func run() async throws {
            let log = try store.openLog()
            let entries = try stream.map { try log.stream($0) } ?? log.tagged(tag ?? "", through: through)
            await log.close()
            entries.forEach { print($0.jsonLine(renderPayload: EventCodec.jsonPayload)) }
        }
    }
}
