import Dispatch
import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Projections
@testable import Server

/// A flag one task raises and another reads.
private final class Flag: Sendable {
    private let raised = Atomic(false)
    var isRaised: Bool { raised.load(ordering: .acquiring) }
    func raise() { raised.store(true, ordering: .releasing) }
}

/// An application's commands are answered without waiting for the read models; a read after the answer waits
/// for them instead, so it still sees the command.
@Suite struct ReadAfterWriteTests {
    @Test(
        "with the read models' writer held, a submission is answered, a read of the queues waits for them, health does not",
        .timeLimit(.minutes(1)))
    func readsWaitForCommandsAnsweredAhead() async throws {
        try await LiveHall.run { hall, store in
            // Hold the read models' writer with a unit that blocks its thread until released.
            let gate = DispatchSemaphore(value: 0)
            store.engine.tables.enqueue({ _ in gate.wait() }, then: { _ in })
            // Released whatever fails below, so the server can stop; a second signal is harmless.
            defer { gate.signal() }

            let submitted = try await hall.call(.post, "/api/applications", as: "20010001", json: StatusCodeTests.letter)
            #expect(submitted.status == .created, "answered while the read models are held")
            let id = try #require(submitted.json["id"] as? String)
            #expect(!store.engine.reflects(store.log.head.position), "the read models have not seen it")

            let answered = Flag()
            let read = Task {
                defer { answered.raise() }
                return try await hall.call(.get, "/api/tasks", as: "20010002")
            }
            // Released once the read waits for the read models (or has answered without waiting, which fails below).
            while store.engine.waitingCount == 0 && !answered.isRaised {
                await Task.yield()
            }
            let answeredEarly = answered.isRaised
            #expect(!answeredEarly, "the read answered before the read models caught up")
            // Health and metrics answer meanwhile (on connections of their own: the client's is busy with the read),
            // for they must tell when the read models are stuck. A wait would end in the socket's 10-second timeout.
            let port = try #require(hall.client.port)
            for path in ["/health", "/metrics"] {
                let request = "GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                let head = try await onOwnThread { try RawHTTP.read(port: port, request: request) { $0.contains("\r\n\r\n") } }
                #expect(head.hasPrefix("HTTP/1.1 200"), "\(path) answers while the read models are held")
            }
            gate.signal()
            let todo = try await read.value
            #expect(todo.status == .ok)
            #expect(todo.text.contains(id), "the department head's queue shows the submission")
        }
    }
}
