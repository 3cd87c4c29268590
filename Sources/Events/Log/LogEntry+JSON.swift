import Foundation

extension LogEntry {
    /// The entry as a JSON object, as the CLI and the HTTP API show it. The payload is embedded as the JSON that
    /// `renderPayload` makes of it (by default: the payload itself, when it is JSON); a payload it cannot render
    /// appears base64-encoded under `payloadBase64`.
    public func jsonObject(renderPayload: (LogEntry) -> Any? = LogEntry.payloadAsJSON) -> [String: Any] {
        var object: [String: Any] = [
            "position": position,
            "stream": stream,
            "streamVersion": streamVersion,
            "type": type,
            "schemaVersion": Int(schemaVersion),
            "recordedAt": RFC3339.string(from: recordedAt),
            "actor": actor,
            "commandId": commandId,
            "tags": tags,
            "hash": hash.hex,
        ]
        if let json = renderPayload(self) {
            object["payload"] = json
        } else {
            object["payloadBase64"] = Data(payload).base64EncodedString()
        }
        return object
    }

    /// The entry as one line of JSON (keys sorted).
    public func jsonLine(renderPayload: (LogEntry) -> Any? = LogEntry.payloadAsJSON) -> String {
        let object = jsonObject(renderPayload: renderPayload)
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The payload parsed as JSON, or nil when it is not JSON.
    public static func payloadAsJSON(_ entry: LogEntry) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(entry.payload), options: [.fragmentsAllowed])
    }

    /// Reads an entry back from its JSON line (as `jsonLine` wrote it, e.g. an exported fixture).
    ///
    /// The payload is re-serialised from the parsed JSON, so its bytes — and therefore the hash — may differ
    /// from the stored ones: an imported entry is re-appended (and re-hashed) by the log that takes it.
    public init(jsonLine: String) throws {
        guard let object = try JSONSerialization.jsonObject(with: Data(jsonLine.utf8)) as? [String: Any],
            let position = (object["position"] as? NSNumber)?.uint64Value,
            let stream = object["stream"] as? String,
            let streamVersion = (object["streamVersion"] as? NSNumber)?.uint64Value,
            let type = object["type"] as? String,
            let schemaVersion = (object["schemaVersion"] as? NSNumber)?.uint16Value,
            let recordedText = object["recordedAt"] as? String, let recordedAt = RFC3339.date(from: recordedText),
            let actor = object["actor"] as? String,
            let commandId = object["commandId"] as? String,
            let tags = object["tags"] as? [String],
            let hash = (object["hash"] as? String).flatMap(ChainHash.init(hex:))
        else { throw LogError.invalidRequest("not an exported log entry: \(jsonLine.prefix(80))") }
        let payload: [UInt8]
        if let embedded = object["payload"] {
            payload = Array(try JSONSerialization.data(withJSONObject: embedded, options: [.sortedKeys, .fragmentsAllowed]))
        } else if let base64 = object["payloadBase64"] as? String, let data = Data(base64Encoded: base64) {
            payload = Array(data)
        } else {
            throw LogError.invalidRequest("entry \(position) has no payload")
        }
        self.init(
            position: position, stream: stream, streamVersion: streamVersion, type: type, schemaVersion: schemaVersion,
            recordedAt: recordedAt, actor: actor, commandId: commandId, tags: tags, payload: payload, hash: hash)
    }
}
