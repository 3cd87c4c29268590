import Foundation
import Testing
import TestSupport

@testable import Events
@testable import Projections

/// The rows written and read by hand (`BinaryWritable`, `BinaryReadable`) against their `Codable` forms: the
/// same bytes, and the same values read back, for values with every optional present and absent, empty and
/// non-ASCII text, and extreme numbers and times.
@Suite struct RowEncodingTests {
    static func expectSameBytes<T: Codable>(_ value: T, _ context: String) throws {
        #expect(T.self is any BinaryWritable.Type && T.self is any BinaryReadable.Type, "\(context)")
        let encoder = BinaryEncoder()
        let bytes = try encoder.encode(value)
        #expect(try bytes == encoder.encodeThroughCodable(value), "\(context)")
        // Read back by hand and through Decodable, each must give the value written (compared by its bytes).
        #expect(try encoder.encode(BinaryDecoder().decode(T.self, from: bytes)) == bytes, "\(context)")
        #expect(try encoder.encode(BinaryDecoder().decodeThroughCodable(T.self, from: bytes)) == bytes, "\(context)")
    }

    /// For rows written by hand and read through `Decodable`: the same bytes both ways, and read back, the
    /// value written (compared by its bytes: times keep microseconds).
    static func expectSameWrittenBytes<T: Codable>(_ value: T, _ context: String) throws {
        #expect(T.self is any BinaryWritable.Type, "\(context)")
        let encoder = BinaryEncoder()
        let bytes = try encoder.encode(value)
        #expect(try bytes == encoder.encodeThroughCodable(value), "\(context)")
        #expect(try encoder.encode(BinaryDecoder().decode(T.self, from: bytes)) == bytes, "\(context)")
    }

    @Test("a row missing its fields is refused, by hand as through Decodable")
    func missingFields() throws {
        let empty: [UInt8] = [BinaryTag.keyed.rawValue, 0]
        func expectRefused<T: Decodable>(_ type: T.Type) {
            #expect(throws: BinaryDecodingError.self) { try BinaryDecoder().decode(type, from: empty) }
            #expect(throws: BinaryDecodingError.self) { try BinaryDecoder().decodeThroughCodable(type, from: empty) }
        }
        expectRefused(ProjectionEngine.Served.self)
        expectRefused(QueueItem.self)
        expectRefused(QueuesProjection.OpenApplication.self)
        expectRefused(QueuesProjection.PendingLine.self)
        expectRefused(PortalFigures.self)
        expectRefused(StepDurationsProjection.Waiting.self)
        expectRefused(StepDuration.self)
    }

    static func text(_ random: inout SplitMix64) -> String {
        ["", "D10", "经办单位负责人审核", "引号\"与\\反斜杠", "😀", String(repeating: "长", count: 300)][Int(random.next() % 6)]
    }

    static func date(_ random: inout SplitMix64) -> Date {
        [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -86_400.000001), Date(timeIntervalSince1970: 1_772_409_600.123456),
         Date(timeIntervalSince1970: Double(random.next() % 4_000_000_000))][Int(random.next() % 4)]
    }

    static func step(_ random: inout SplitMix64) -> RouteStep {
        var step = RouteStep(step: StepID.allCases[Int(random.next() % UInt64(StepID.allCases.count))], scope: text(&random), reason: text(&random))
        if random.next() % 2 == 0 { step.decision = [.approve, .reject, .return][Int(random.next() % 3)] }
        if random.next() % 2 == 0 { step.decidedBy = text(&random) }
        if random.next() % 2 == 0 { step.decidedAt = date(&random) }
        if random.next() % 2 == 0 { step.comment = text(&random) }
        return step
    }

    @Test("every row written by hand writes as it encodes")
    func sameBytes() throws {
        var random = SplitMix64(seed: 42)
        for index in 0..<400 {
            try Self.expectSameBytes(Self.step(&random), "step \(index)")
            let item = QueueItem(
                applicationId: Self.text(&random), kind: ApplicationKind.allCases[index % 5], title: Self.text(&random),
                applicant: Self.text(&random), step: Self.text(&random), since: Self.date(&random),
                outcome: index % 2 == 0 ? nil : Self.text(&random))
            try Self.expectSameBytes(item, "queue item \(index)")
            let row = QueuesProjection.OpenApplication(
                id: Self.text(&random), kind: ApplicationKind.allCases[index % 5], title: Self.text(&random),
                applicant: Self.text(&random), route: (0..<Int(random.next() % 4)).map { _ in Self.step(&random) },
                seals: (0..<Int(random.next() % 3)).map { _ in Self.text(&random) }, takeOut: index % 3 == 0,
                submittedAt: Self.date(&random), status: ApplicationStatus.allCases[index % ApplicationStatus.allCases.count],
                pending: (0..<Int(random.next() % 3)).map { _ in
                    QueuesProjection.PendingLine(
                        role: Self.text(&random), scope: Self.text(&random), Self.text(&random), since: Self.date(&random))
                })
            try Self.expectSameBytes(row, "open application \(index)")
            #expect(try BinaryDecoder().decode(QueuesProjection.OpenApplication.self, from: BinaryEncoder().encode(row)) == row)
            let served = ProjectionEngine.Served(
                version: [0, 1, -7, Int.max, Int.min][index % 5], slot: Self.text(&random),
                position: [0, 1, UInt64.max, random.next()][index % 4])
            try Self.expectSameBytes(served, "served \(index)")
            #expect(try BinaryDecoder().decode(ProjectionEngine.Served.self, from: BinaryEncoder().encode(served)) == served)
            try Self.expectSameBytes(index % 2 == 0, "flag \(index)")
            var figures = PortalFigures()
            (figures.enteredItems, figures.onlineItems, figures.departments) = (index, -index, Int.max - index)
            (figures.inProgress, figures.completed, figures.total) = (Int(random.next() % 9), Int.min, 0)
            try Self.expectSameBytes(figures, "figures \(index)")
            let waiting = StepDurationsProjection.Waiting(
                kind: ApplicationKind.allCases[index % 5], step: Self.text(&random), since: Self.date(&random),
                route: (0..<Int(random.next() % 4)).map { _ in StepID.allCases[Int(random.next() % UInt64(StepID.allCases.count))] })
            try Self.expectSameBytes(waiting, "waiting \(index)")
            var duration = StepDuration(kind: ApplicationKind.allCases[index % 5], step: Self.text(&random))
            for _ in 0..<Int(random.next() % 4) { duration.add(Double(random.next() % 400_000) / 7) }
            try Self.expectSameBytes(duration, "duration \(index)")
        }
    }

    @Test("the registers' and attachment references' rows written by hand write as they encode")
    func registerRowsSameBytes() throws {
        var random = SplitMix64(seed: 7)
        func texts() -> [String] { (0..<Int(random.next() % 3)).map { _ in Self.text(&random) } }
        func maybe<T>(_ value: T) -> T? { random.next() % 2 == 0 ? nil : value }
        for index in 0..<400 {
            let seal = SealRegisterRow(
                id: Self.text(&random), name: Self.text(&random), category: SealCategory.allCases[index % SealCategory.allCases.count],
                departmentId: Self.text(&random), custodian: maybe(Self.text(&random)),
                status: [.active, .sealedUp, .lost][index % 3], uses: [0, 1, Int.max, -3][index % 4])
            try Self.expectSameWrittenBytes(seal, "seal \(index)")
            let use = SealUseRow(
                position: [0, 1, UInt64.max, random.next()][index % 4], at: Self.date(&random), seal: Self.text(&random),
                applicationId: Self.text(&random), impressions: Int(random.next() % 50), documentTitle: Self.text(&random),
                reason: Self.text(&random), departmentId: Self.text(&random), applicant: Self.text(&random),
                approvers: texts(), keeper: Self.text(&random), scan: maybe(Self.text(&random)))
            try Self.expectSameWrittenBytes(use, "use \(index)")
            let ledger = CertificateLedgerRow(
                applicationId: Self.text(&random), applicant: Self.text(&random), departmentId: Self.text(&random),
                documents: (0..<Int(random.next() % 3)).map { CertificateDocument.allCases[$0] },
                form: index % 2 == 0 ? .copy : .original, purpose: Self.text(&random), recipient: Self.text(&random),
                copies: maybe(Int(random.next() % 9)), lentAt: maybe(Self.date(&random)), dueBack: maybe(Self.date(&random)),
                returnedAt: maybe(Self.date(&random)))
            try Self.expectSameWrittenBytes(ledger, "ledger \(index)")
            let named = AttachmentReferencesProjection.Named(files: texts(), seals: texts())
            try Self.expectSameWrittenBytes(named, "named \(index)")
            try Self.expectSameWrittenBytes(texts(), "approvers \(index)")
        }
    }
}
