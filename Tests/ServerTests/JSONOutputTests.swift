import Foundation
import Projections
import Testing
import TestSupport

@testable import Events
@testable import Server

/// The hand-written JSON of the application view against Foundation's encoder with the API's settings: the same
/// bytes, for every application of a demo history across the five kinds and their outcomes, and for values that
/// stress escaping, absent fields and times.
@Suite struct JSONOutputTests {
    static func encoded(_ view: ApplicationView) throws -> String {
        String(decoding: try HallJSON.encoder.encode(view), as: UTF8.self)
    }

    static func written(_ view: ApplicationView) -> String {
        String(decoding: JSONOutput.bytes(of: view), as: UTF8.self)
    }

    /// Every application of `processor`'s state as the API shows it: without its timeline (a command's answer)
    /// and with it (`GET /api/applications/{id}`).
    static func views(of processor: CommandProcessor, log: EventLog) throws -> [ApplicationView] {
        let state = try processor.wholeState()
        return try state.applications.values.sorted { $0.id < $1.id }.flatMap { application in
                let events = try Timeline.events(of: application.id, log: log)
                let standing = state.standing(of: application)
                return [
                    ApplicationView(application, standing: standing, timeline: nil),
                    ApplicationView(application, standing: standing, timeline: Timeline.entries(events, state: state)),
                ]
            }
    }

    @Test("every application of a demo history and of the fixtures' stories writes as the encoder writes it")
    func histories() async throws {
        var views = try await withTemporaryLog(options: LogOptions(upcasters: EventCodec.upcasters)) { log in
            let processor = try await CommandProcessor.open(log: log)
            try await processor.load(Seeds(directory: FixtureScenarios.seedsDirectory))
            try await DemoHistory(seed: 11, applications: 240).play(on: processor)
            return try Self.views(of: processor, log: log)
        }
        for name in FixtureScenarios.names {
            let clock = TestClock(FixtureScenarios.start)
            views += try await withTemporaryLog(options: FixtureScenarios.options(clock)) { log in
                let processor = try await CommandProcessor.open(log: log)
                try await FixtureScenarios.play(name, with: processor, clock: clock)
                return try Self.views(of: processor, log: log)
            }
        }
        #expect(views.count > 480)
        #expect(Set(views.map(\.kind)) == Set(ApplicationKind.allCases))
        #expect(Set(views.map(\.status)).count >= 5)
        #expect(views.contains { $0.letter != nil } && views.contains { $0.route.contains { $0.comment != nil } })
        for view in views {
            #expect(try Self.written(view) == Self.encoded(view), "\(view.id)")
        }
    }

    @Test("quotes, backslashes, control characters, non-BMP text and absent optionals")
    func awkwardValues() throws {
        let awkward = "引号\"反斜杠\\斜杠/换行\n回车\r制表\t\u{1}\u{1F}\u{7F}\u{8}\u{C}😀\u{2028}"
        let form = SealUseForm(
            seals: ["S001", awkward], documentTitle: awkward, reason: "", copies: -3, recipient: nil,
            contractAmount: Int.max, takeOut: true, takeOutFrom: Date(timeIntervalSince1970: 520_000_000),
            takeOutUntil: nil, classified: true)
        var step = RouteStep(step: .deptHead, scope: awkward, reason: awkward)
        step.decision = .reject
        step.comment = awkward
        step.decidedAt = Date(timeIntervalSince1970: -86_400.5)
        let application = Application(
            id: awkward, applicant: "", departmentId: awkward, form: .sealUse(form),
            attachments: [Attachment(name: awkward, size: 0, sha256: "")], route: [step], currentStep: nil,
            status: .rejected, version: 0, submittedAt: Date(timeIntervalSince1970: 253_402_300_799.999),
            fulfilment: Fulfilment())
        let timeline = [
            TimelineEntry(
                position: UInt64.max, at: Date(timeIntervalSince1970: 694_224_000), type: awkward, actor: awkward,
                actorName: awkward, action: awkward, comment: nil)
        ]
        let view = ApplicationView(
            application, standing: ApplicationStanding(applicantName: awkward, mayActNow: [], letter: nil),
            timeline: timeline)
        #expect(try Self.written(view) == Self.encoded(view))
    }

    @Test("times: written by hand from 1992 on, as Foundation's Shanghai style writes them, whole seconds down")
    func times() {
        let style = Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        var random = SplitMix64(seed: 3)
        var dates = [694_224_000, 694_223_999, 951_782_400, 1_772_409_600, 4_107_542_399, 253_402_300_799].map {
            Date(timeIntervalSince1970: Double($0))
        }
        for _ in 0..<2_000 {
            dates.append(Date(timeIntervalSince1970: Double(random.next() % 4_200_000_000) + Double(random.next() % 1000) / 1000))
        }
        for date in dates {
            #expect(HallJSON.format(date) == date.formatted(style), "\(date.timeIntervalSince1970)")
        }
        #expect(HallJSON.format(Date(timeIntervalSince1970: 1_772_409_600.999)) == "2026-03-02T08:00:00+08:00")
        #expect(HallJSON.format(Date(timeIntervalSince1970: 520_000_000)) == "1986-06-24T21:26:40+09:00")
    }
}
