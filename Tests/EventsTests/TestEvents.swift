import Foundation
import TestSupport

@testable import Events

/// An event with a JSON payload naming `label`.
func event(_ stream: String, _ label: String, tags: [String] = [], type: String = "TestHappened") -> NewEvent {
    NewEvent(stream: stream, type: type, tags: tags, payload: Array(#"{"label":"\#(label)"}"#.utf8))
}

/// A request carrying `events`, by the test actor.
func request(
    _ events: [NewEvent], expecting expectations: [String: ExpectedVersion] = [:], key: String? = nil
) -> AppendRequest {
    AppendRequest(
        events: events, expectations: expectations, actor: "tester", commandId: UUID().uuidString,
        idempotencyKey: key)
}

/// The label a test event was appended with.
func label(of entry: LogEntry) -> String? {
    (try? JSONSerialization.jsonObject(with: Data(entry.payload)) as? [String: String])?["label"]
}


