import Foundation

extension LogEntry {
    /// The entry as a JSON object, as the CLI and the HTTP API show it. A payload that is JSON is embedded as
    /// such; any other payload appears base64-encoded under `payloadBase64`.
    public var jsonObject: [String: Any] {
        var object: [String: Any] = [
            "position": position,
            "stream": stream,
            "streamVersion": streamVersion,
            "type": type,
            "schemaVersion": Int(schemaVersion),
            "recordedAt": Self.timeFormat.string(from: recordedAt),
            "actor": actor,
            "commandId": commandId,
            "tags": tags,
            "hash": hash.hex,
        ]
        if let json = try? JSONSerialization.jsonObject(with: Data(payload), options: [.fragmentsAllowed]) {
            object["payload"] = json
        } else {
            object["payloadBase64"] = Data(payload).base64EncodedString()
        }
        return object
    }

    /// The entry as one line of JSON (keys sorted).
    public var jsonLine: String {
        let data = (try? JSONSerialization.data(withJSONObject: jsonObject, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// RFC 3339 in UTC with microseconds, e.g. `2026-11-29T01:02:03.456789Z`.
    private static var timeFormat: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
