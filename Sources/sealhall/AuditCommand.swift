import ArgumentParser
import Events
import Foundation
import Projections

/// `sealhall audit …`: what auditors read.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Read what auditors need from the log.", subcommands: [SealHistoryCommand.self])

    struct SealHistoryCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "seal-history",
            abstract: "Every entry concerning a seal, in log order, as of a position or a time; JSON, JSON lines or CSV.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The seal's id, e.g. S101.") var seal: String
        @Option(help: "Stop after this log position.") var through: UInt64?
        @Option(help: "Stop at this time (RFC 3339 with offset, e.g. 2026-03-02T12:00:00+08:00).") var asOf: String?
        @Option(help: "json, jsonl or csv.") var format: String = "jsonl"

        func run() async throws {
            guard let format = SealHistory.Format(rawValue: format) else {
                throw ValidationError("--format must be one of json, jsonl, csv")
            }
            var time: Date?
            if let asOf {
                guard let parsed = (try? Date.ISO8601FormatStyle(includingFractionalSeconds: false).parse(asOf))
                    ?? (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(asOf))
                else { throw ValidationError("--as-of must be an RFC 3339 time with offset") }
                time = parsed
            }
            let log = try EventLog(directory: store.data, options: LogOptions(upcasters: EventCodec.upcasters))
            let rows = try SealHistory.rows(of: seal, in: log, through: through, asOf: time)
            await log.close()
            print(try SealHistory.export(rows, as: format), terminator: "")
        }
    }
}
