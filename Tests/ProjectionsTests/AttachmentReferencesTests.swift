import Foundation
import Projections
import Testing
import TestSupport

@testable import Events

@Suite("Attachment references")
struct AttachmentReferencesTests {
    @Test("each file and seal leads to exactly the applications that name it now, as the decider's state holds them")
    func indexMatchesState() async throws {
        try await withTemporaryLog(options: LogOptions(upcasters: EventCodec.upcasters)) { (log: EventLog) async throws in
            let engine = try await ProjectionEngine(log: log, projections: ReadModels.all)
            let processor = try await CommandProcessor.open(log: log, observer: engine)
            try await processor.load(Seeds(directory: FixtureScenarios.seedsDirectory))
            try await DemoHistory(seed: 11, applications: 200).play(on: processor)
            let applications = try processor.wholeState().applications.values
            var byFile = [String: Set<String>](), bySeal = [String: Set<String>]()
            for application in applications {
                for file in application.attachments.map(\.sha256) + application.fulfilment.scans {
                    byFile[file, default: []].insert(application.id)
                }
                for seal in application.sealIds { bySeal[seal, default: []].insert(application.id) }
            }
            #expect(!byFile.isEmpty && bySeal.count > 3)
            for (file, ids) in byFile {
                let found = try AttachmentReferencesProjection.applications(naming: file, orUsing: [], from: engine)
                #expect(found.count == ids.count && Set(found) == ids, "\(file)")
            }
            for (seal, ids) in bySeal {
                let found = try AttachmentReferencesProjection.applications(naming: "", orUsing: [seal], from: engine)
                #expect(found.count == ids.count && Set(found) == ids, "\(seal)")
            }
            let unnamed = String(repeating: "0", count: 64)
            #expect(try AttachmentReferencesProjection.applications(naming: unnamed, orUsing: [], from: engine).isEmpty)
        }
    }
}
