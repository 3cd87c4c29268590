import Events
import Foundation

/// One entry of a seal's history, as auditors read and export it (API.md: `GET /api/seals/{id}/history`).
public struct SealHistoryRow: Sendable, Equatable {
    public var position: UInt64
    /// When it was recorded, RFC 3339 in Asia/Shanghai time (e.g. `2026-03-02T09:10:00.000000+08:00`).
    public var at: String
    public var type: String
    public var actor: String
    public var applicationId: String?
    /// The event's data as JSON text.
    public var data: String
    public var hash: String
}

/// Every entry that concerns a seal — its carving, filing, activation, every application naming it with every
/// decision, every affix, check-out and check-in, hand-over, suspension, hand-in, seal-up and destruction — in
/// log order, read from the log's tag index (so it costs in proportion to the seal's own history), as of a
/// position or a time, and exported as JSON, JSON lines or CSV.
public enum SealHistory {
    public enum Format: String, CaseIterable, Sendable {
        case json, jsonl, csv
    }

    public static func rows(of seal: String, in log: EventLog, through position: UInt64? = nil, asOf time: Date? = nil)
        throws -> [SealHistoryRow]
    {
        try log.tagged("seal:\(seal)", through: position, asOf: time).map { entry in
            let recorded = try CommandProcessor.recorded(from: entry)
            let payload = EventCodec.jsonPayload(of: entry) ?? [:]
            let data = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes])
            return SealHistoryRow(
                position: entry.position, at: shanghai(entry.recordedAt), type: entry.type, actor: entry.actor,
                applicationId: recorded.event.applicationId, data: String(decoding: data, as: UTF8.self),
                hash: entry.hash.hex)
        }
    }

    /// The rows in `format`: a JSON array, one JSON object per line, or CSV with a header row.
    public static func export(_ rows: [SealHistoryRow], as format: Format) throws -> String {
        switch format {
        case .json, .jsonl:
            let objects = try rows.map { row -> String in
                var object: [String: Any] = [
                    "position": row.position, "at": row.at, "type": row.type, "actor": row.actor, "hash": row.hash,
                    "data": try JSONSerialization.jsonObject(with: Data(row.data.utf8)),
                ]
                object["applicationId"] = row.applicationId ?? NSNull()
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                return String(decoding: data, as: UTF8.self)
            }
            return format == .json ? "[" + objects.joined(separator: ",") + "]\n" : objects.map { $0 + "\n" }.joined()
        case .csv:
            let header = "position,at,type,actor,applicationId,data,hash\r\n"
            return header + rows.map { row in
                [String(row.position), row.at, row.type, row.actor, row.applicationId ?? "", row.data, row.hash]
                    .map(csvField).joined(separator: ",") + "\r\n"
            }.joined()
        }
    }

    /// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// RFC 3339 in Asia/Shanghai time, to the microsecond.
    static func shanghai(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = ShanghaiTime.zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let micros = Int((date.timeIntervalSince1970 * 1_000_000).rounded()) % 1_000_000
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day))T\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))"
            + ".\(String(format: "%06d", (micros + 1_000_000) % 1_000_000))+08:00"
    }
}
