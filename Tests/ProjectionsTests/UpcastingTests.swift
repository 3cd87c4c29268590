import Foundation
import Projections
import Testing
import TestSupport

@testable import Events

@Suite("Upcasting end to end")
struct UpcastingTests {
    @Test("a log written with an older schema of two event types rebuilds to the same read models as the current one")
    func olderSchemaLog() async throws {
        try await withTemporaryDirectory { directory in
            let current = try await FixtureScenarios.importFixture("seal-use.jsonl", into: directory + "/current")
            let older = try await FixtureScenarios.importFixture("seal-use.v1.jsonl", into: directory + "/older")
            let stored = try older.entries(from: 1, limit: 1000)
            #expect(stored.contains { $0.type == "SealAffixed" && $0.schemaVersion == 2 }, "read through the upcasters")
            let currentEngine = try await ProjectionEngine(log: current, projections: ReadModels.all)
            let olderEngine = try await ProjectionEngine(log: older, projections: ReadModels.all)
            for projection in ReadModels.all.map(\.name) {
                #expect(try PortalFiguresTests.rows(olderEngine, projection) == PortalFiguresTests.rows(currentEngine, projection), "\(projection)")
            }
            #expect(try QueuesProjection.queues(of: "20010009", from: olderEngine).done.isEmpty)
            #expect(try PortalFiguresProjection.read(from: olderEngine).figures.completed == 1)
            await currentEngine.close()
            await olderEngine.close()
            await current.close()
            await older.close()

            // Underneath, the older entries are stored as they were written.
            let raw = try EventLog(directory: directory + "/older")
            let named = try raw.entries(from: 1, limit: 1000).filter { ["SealAffixed", "ApplicationCompleted"].contains($0.type) }
            #expect(named.map(\.schemaVersion) == [1, 1, 1])
            #expect(try raw.verify().ok)
            await raw.close()
        }
    }
}
