import Foundation

@testable import Events

/// The scenarios behind `fixtures/`: one complete story per application kind, played by the seeded cast
/// through the real command processor with a fixed clock and fixed command ids, so that the exported log is
/// the same on every run.
public enum FixtureScenarios {
    /// 2026-03-02T08:00:00+08:00: the clock starts here and moves ten minutes per command.
    public static let start = Date(timeIntervalSince1970: 1_772_409_600)

    public static let names = ["seal-use", "seal-carving", "seal-abolition", "letter", "certificate"]

    /// The repository's `seeds/` and `fixtures/` folders.
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../..").standardized
    public static var seedsDirectory: String { repository.appendingPathComponent("seeds").path }
    public static var fixturesDirectory: String { repository.appendingPathComponent("fixtures").path }

    /// Plays scenario `name` on a fresh log in `directory` and returns the log's entries as JSON lines.
    public static func play(_ name: String, in directory: String) async throws -> [String] {
        let clock = TestClock(start)
        let log = try EventLog(directory: directory, options: options(clock))
        do {
            try await play(name, with: try await CommandProcessor.open(log: log), clock: clock)
        } catch {
            await log.close()
            throw error
        }
        var lines = [String]()
        try log.forEachEntry(from: 1) { lines.append($0.jsonLine(renderPayload: EventCodec.jsonPayload)) }
        await log.close()
        return lines
    }

    /// Imports an exported log (`NAME.jsonl` of `fixtures/`) into a new store in `directory`, entry by entry, at
    /// the times it was recorded; payloads and schema versions are kept as exported.
    public static func importFixture(_ file: String, into directory: String) async throws -> EventLog {
        let clock = TestClock(start)
        let log = try EventLog(directory: directory, options: options(clock))
        let text = try String(contentsOfFile: fixturesDirectory + "/" + file, encoding: .utf8)
        for line in text.split(separator: "\n") {
            let entry = try LogEntry(jsonLine: String(line))
            clock.set(entry.recordedAt)
            let event = NewEvent(
                stream: entry.stream, type: entry.type, schemaVersion: entry.schemaVersion, tags: entry.tags,
                payload: entry.payload)
            _ = try await log.append(AppendRequest(events: [event], actor: entry.actor, commandId: entry.commandId))
        }
        return log
    }

    /// The log options the stories run with: the domain's upcasters and the story's clock.
    public static func options(_ clock: TestClock) -> LogOptions {
        LogOptions(upcasters: EventCodec.upcasters, clock: clock.read)
    }

    /// Loads the seeds and plays scenario `name` through `processor`, whose log runs on `clock`.
    public static func play(_ name: String, with processor: CommandProcessor, clock: TestClock) async throws {
        let driver = Driver(processor: processor, clock: clock)
        try await processor.load(Seeds(directory: seedsDirectory))
        clock.advance(by: 3600)
        try await scenario(name)(driver)
    }

    /// Runs commands with fixed ids, moving the clock between them.
    public final class Driver: Sendable {
        let processor: CommandProcessor
        let clock: TestClock
        private let counter = Counter()

        init(processor: CommandProcessor, clock: TestClock) {
            self.processor = processor
            self.clock = clock
        }

        @discardableResult
        func run(_ command: Command, as actor: String) async throws -> CommandResult {
            clock.advance(by: 600)
            return try await processor.execute(command, actor: actor, commandId: "fixture-\(counter.next())")
        }

        func version(_ id: String) -> Int {
            processor.withState { $0.applications[id]?.version ?? 0 }
        }

        func submit(_ form: ApplicationForm, as applicant: String, attachments: [Attachment] = [document]) async throws -> String {
            try await run(.submit(form: form, attachments: attachments), as: applicant).application!.id
        }

        func decide(_ id: String, _ decision: Decision = .approve, comment: String? = nil, as decider: String) async throws {
            try await run(.decide(applicationId: id, decision: decision, comment: comment, expectedVersion: version(id)), as: decider)
        }

        func fulfil(_ id: String, _ action: FulfilmentAction, as actor: String) async throws {
            try await run(.fulfil(applicationId: id, action: action, expectedVersion: version(id)), as: actor)
        }
    }

    /// A counter shared by the driver's calls.
    final class Counter: Sendable {
        private let value = LockedValue(0)
        func next() -> Int { value.update { $0 += 1; return $0 } }
    }

    static let document = Attachment(name: "申请材料.pdf", size: 204_800, sha256: String(repeating: "5e", count: 32))
    static let imprint = String(repeating: "a7", count: 32)

    static func scenario(_ name: String) -> @Sendable (Driver) async throws -> Void {
        switch name {
        case "seal-use": sealUse
        case "seal-carving": sealCarving
        case "seal-abolition": sealAbolition
        case "letter": letter
        default: certificate
        }
    }

    /// 张瑞雪 takes the 科技处 seal and the contract seal out for a 120,000-yuan contract.
    static let sealUse: @Sendable (Driver) async throws -> Void = { driver in
        let form = SealUseForm(
            seals: ["S101", "S005"], documentTitle: "横向科研合同（哈尔滨某科技公司）", reason: "签订横向科研合同", copies: 4,
            recipient: "哈尔滨某科技有限公司", contractAmount: 120_000, takeOut: true, takeOutFrom: start + 7200,
            takeOutUntil: start + 3 * 86_400)
        let id = try await driver.submit(.sealUse(form), as: "20010001")
        for decider in ["20010002", "20010004", "20010003", "20010006"] {
            try await driver.decide(id, as: decider)
        }
        for (seal, keeper) in [("S101", "20010009"), ("S005", "20010008")] {
            try await driver.fulfil(id, .checkOut(seal: seal), as: keeper)
            try await driver.fulfil(id, .affix(seal: seal, impressions: 4, scan: nil), as: keeper)
            try await driver.fulfil(id, .checkIn(seal: seal), as: keeper)
        }
    }

    /// 教务处 has a new business seal carved, filed, made and activated.
    static let sealCarving: @Sendable (Driver) async throws -> Void = { driver in
        let form = SealCarvingForm(
            sealName: "哈尔滨理工大学教务处实验教学专用章", category: .business, departmentId: "D08", reason: .new,
            basisDocument: "哈理工教发〔2026〕5号", size: 40, quantity: 1, custodian: "20010014", scope: "实验教学文件")
        let id = try await driver.submit(.sealCarving(form), as: "20010011")
        for decider in ["20010012", "20010003", "20010006"] {
            try await driver.decide(id, as: decider)
        }
        try await driver.fulfil(id, .file(filingNumber: "哈公备2026-0301"), as: "20010003")
        try await driver.fulfil(id, .recordMade(maker: "哈尔滨市印章刻制中心"), as: "20010003")
        try await driver.fulfil(id, .activate(imprint: imprint, noticeNumber: "党办〔2026〕12号", effectiveDate: start + 86_400), as: "20010003")
    }

    /// 教务处 abolishes its worn grades seal: suspended, handed in, sealed up, then destroyed.
    static let sealAbolition: @Sendable (Driver) async throws -> Void = { driver in
        let form = SealAbolitionForm(seal: "S103", reason: .worn, stopDate: start + 86_400)
        let id = try await driver.submit(.sealAbolition(form), as: "20010011")
        for decider in ["20010012", "20010003", "20010006"] {
            try await driver.decide(id, as: decider)
        }
        try await driver.fulfil(id, .handIn(handedInBy: "教务处印章管理员", receivedBy: "党政办审核人"), as: "20010003")
        try await driver.fulfil(id, .sealUp(location: "党政办印章保险柜"), as: "20010003")
        try await driver.run(.destroySeal(seal: "S103", supervisors: ["20010010", "20010004"]), as: "20010003")
    }

    /// An important letter is issued and later returned unused; a party letter is refused.
    static let letter: @Sendable (Driver) async throws -> Void = { driver in
        let persons = [LetterPerson(name: "张瑞雪", title: "科长", idNumber: "2301**********2026")]
        let important = LetterForm(
            letterType: .administrative, persons: persons, destination: "黑龙江省科学技术厅", matter: "联系重点研发计划项目申报事宜",
            validDays: 7, important: true)
        let id = try await driver.submit(.letter(important), as: "20010001", attachments: [])
        for decider in ["20010002", "20010003", "20010006"] {
            try await driver.decide(id, as: decider)
        }
        try await driver.fulfil(id, .issue, as: "20010003")
        try await driver.run(.returnLetter(serial: "administrative-2026-1", comment: "行程取消，退回未用"), as: "20010003")
        let party = LetterForm(letterType: .party, persons: persons, destination: "某市委组织部", matter: "联系干部考察事宜")
        let refused = try await driver.submit(.letter(party), as: "20010001", attachments: [])
        try await driver.decide(refused, .reject, comment: "此事项应由组织部开具", as: "20010002")
    }

    /// The legal representative's ID original is lent and returned; a request for copies is returned and cancelled.
    static let certificate: @Sendable (Driver) async throws -> Void = { driver in
        let original = CertificateRequestForm(
            documents: [.legalRepID], form: .original, purpose: "银行开户核验法定代表人身份", recipient: "中国银行哈尔滨分行",
            borrowFrom: start + 86_400, dueBack: start + 5 * 86_400)
        let id = try await driver.submit(.certificate(original), as: "20010001")
        for decider in ["20010002", "20010003", "20010006", "20010007"] {
            try await driver.decide(id, as: decider)
        }
        try await driver.fulfil(id, .lend, as: "20010003")
        try await driver.fulfil(id, .returnOriginals(comment: "原件完好"), as: "20010003")
        let copies = CertificateRequestForm(documents: [.certificateDuplicate], form: .copy, copies: 2, purpose: "项目申报", recipient: "教育部")
        let returned = try await driver.submit(.certificate(copies), as: "20010011")
        try await driver.decide(returned, .return, comment: "请注明具体项目名称", as: "20010012")
        try await driver.run(.cancel(applicationId: returned, comment: "项目已撤销", expectedVersion: driver.version(returned)), as: "20010011")
    }
}
