import Foundation
import Testing
import TestSupport

@testable import Events
@testable import Projections

@Suite("A rebuild's pass on two threads")
struct RebuildPassTests {
    /// A log of a random history of about `events` events, from the cast's setup on.
    static func withHistory<R>(events: Int, _ body: (EventLog) async throws -> R) async throws -> R {
        var world = World()
        let written = try RandomCommands.history(events: events, seed: 7, in: &world)
        return try await withTemporaryLog(options: LogOptions(upcasters: EventCodec.upcasters)) { log in
            try await log.transact { session in
                for (events, actor) in written {
                    _ = try session.append(try events.map { try EventCodec.newEvent($0) }, actor: actor, commandId: "history")
                }
            }
            return try await body(log)
        }
    }

    /// The rows as packed bytes, key and value of each, in key order.
    static func bytes(_ rows: MemoryRows) throws -> [[UInt8]] {
        let packed = try rows.takePacked()
        var bytes = [[UInt8]]()
        packed.forEach(in: 0..<packed.count) { key, value in bytes.append(Array(key) + [0xFF] + Array(value)) }
        return bytes
    }

    @Test("every model, its chunks applied in turn by either thread while others are read ahead, ends with the rows one thread applying every event in order gives")
    func matchesSerialApplication() async throws {
        try await Self.withHistory(events: 12 * RebuildPass.chunkSize) { log in
            let models = ReadModels.all
            let memory = models.map { _ in MemoryRows() }
            let reported = LockedValue<[UInt64]>([])
            let pass = RebuildPass(log: log, through: log.head.position, models: models, memory: memory) { done, _ in
                reported.update { $0.append(done) }
            }
            try pass.run()
            let progress = reported.update { $0 }
            #expect(progress.last == log.head.position && progress == progress.sorted() && progress.count > 10)

            for (model, rows) in zip(models, memory) {
                var serial = MemoryRows()
                try log.forEachEntry(from: 1) { try model.apply(try CommandProcessor.recorded(from: $0), to: &serial) }
                let expected = try Self.bytes(serial)
                #expect(!expected.isEmpty)
                #expect(try Self.bytes(rows) == expected, "\(model.name)")
            }
        }
    }

    /// A projection that fails at one position.
    struct FailingAt: Projection {
        struct Failed: Error, Equatable {}
        let position: UInt64
        var name: String { "failing" }
        var version: Int { 1 }

        func apply<Rows: ProjectionRows>(_ event: RecordedEvent, to rows: inout Rows) throws {
            if event.position == position { throw Failed() }
        }
    }

    @Test("a model's failure, or an entry that does not decode, ends the pass with that error on both threads")
    func failures() async throws {
        try await Self.withHistory(events: 6 * RebuildPass.chunkSize) { log in
            let through = log.head.position
            let models: [any Projection] = [PortalFiguresProjection(), FailingAt(position: through / 2), QueuesProjection()]
            let failing = RebuildPass(log: log, through: through, models: models, memory: models.map { _ in MemoryRows() }) { _, _ in }
            #expect(throws: FailingAt.Failed()) { try failing.run() }

            _ = try await log.append(AppendRequest(events: [NewEvent(stream: "bad", type: "SealAffixed", payload: [0xFF])], actor: "tester", commandId: "bad"))
            let undecodable = RebuildPass(
                log: log, through: log.head.position, models: [QueuesProjection()], memory: [MemoryRows()]) { _, _ in }
            #expect(throws: (any Error).self) { try undecodable.run() }
        }
    }
}
