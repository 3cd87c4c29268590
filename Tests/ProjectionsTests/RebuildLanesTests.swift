import Foundation
import Testing
import TestSupport

@testable import Events
@testable import Projections

@Suite("Rebuild lanes")
struct RebuildLanesTests {
    @Test("models moved between the lanes mid-pass end with the rows one thread applying every event gives")
    func movedModelsMatchSerialApplication() throws {
        var world = World()
        var events = [RecordedEvent]()
        func record(_ domainEvents: [DomainEvent], _ actor: String) {
            for event in domainEvents {
                events.append(RecordedEvent(event: event, actor: actor, recordedAt: world.now, position: UInt64(events.count + 1)))
            }
        }
        for (command, actor) in Cast.setup { record(try world.run(command, as: actor), actor) }
        var generator = SplitMix64(seed: 7)
        var commands = RandomCommands(world: world)
        while events.count < 20_000 {
            let (command, actor) = commands.command(from: Int.random(in: 0...1_000_000, using: &generator), in: world)
            world.advance(days: 0.001)
            guard let decided = try? world.run(command, as: actor), !decided.isEmpty else { continue }
            commands.observe(decided)
            record(decided, actor)
        }
        let projections = ReadModels.all
        // The catalog, which costs next to nothing, alone in one lane at first, every other model in the other:
        // measuring each chunk must move models.
        let targets = projections.map { projection in
            ProjectionEngine.Target(
                projection: projection, slot: "a", table: projection.name, expectedRows: 0,
                expectedBytes: projection.name == CatalogProjection().name ? 1_000_000 : 1)
        }
        let memory = projections.map { _ in MemoryRows() }
        let lanes = RebuildLanes(targets, memory: memory, timedEvery: 1)
        for start in stride(from: 0, to: events.count, by: 500) {
            try lanes.apply(events[start..<min(start + 500, events.count)].map(SharedEvent.init))
        }
        try lanes.finish()
        #expect(lanes.moves >= 1)

        for (projection, rows) in zip(projections, memory) {
            var serial = MemoryRows()
            for event in events { try projection.apply(event, to: &serial) }
            #expect(Self.bytes(try rows.takePacked()) == Self.bytes(try serial.takePacked()), "\(projection.name)")
        }
    }

    static func bytes(_ rows: PackedRows) -> [[UInt8]] {
        var bytes = [[UInt8]]()
        rows.forEach(in: 0..<rows.count) { key, value in bytes.append(Array(key) + [0xFF] + Array(value)) }
        return bytes
    }
}
