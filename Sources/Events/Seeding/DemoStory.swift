import Foundation

/// One application of a `DemoHistory`: who submits what, and how far it gets.
struct DemoStory {
    enum Ending {
        case completed, rejected, cancelled, returned, approved
        /// Still in review after this many approvals.
        case inReview(approvals: Int)
    }

    let applicant: String
    let form: ApplicationForm
    let ending: Ending

    static let titles = ["横向科研合同", "学生实习基地协议", "合作办学协议", "设备采购合同", "在职证明", "会议通知", "项目申报书", "成绩证明"]
    static let destinations = ["黑龙江省教育厅", "哈尔滨市科技局", "中国科学院某研究所", "某市人民政府", "某股份有限公司"]
    static let matters = ["联系项目申报事宜", "联系学生实习事宜", "商洽合作协议", "参加工作会议", "办理备案手续"]
    static let keepers = ["20010001": "20010009", "20010011": "20010014"]
    static let departments = ["20010001": "D10", "20010011": "D08"]

    init(ends: Bool, random: inout DemoRandom, seals: [String], now: Date) {
        applicant = DemoHistory.applicants[random.below(DemoHistory.applicants.count)]
        switch random.below(100) {
        case 0..<60:
            var chosen = [seals[random.below(seals.count)]]
            if random.below(3) == 0 {
                let second = seals[random.below(seals.count)]
                if second != chosen[0] { chosen.append(second) }
            }
            let takeOut = random.below(12) == 0
            form = .sealUse(
                SealUseForm(
                    seals: chosen, documentTitle: Self.titles[random.below(Self.titles.count)], reason: "对外签署",
                    copies: 1 + random.below(5), recipient: Self.destinations[random.below(Self.destinations.count)],
                    contractAmount: [nil, nil, 8_000, 35_000, 120_000, 1_500_000][random.below(6)], takeOut: takeOut,
                    takeOutFrom: takeOut ? now : nil, takeOutUntil: takeOut ? now + 2 * 86_400 : nil))
        case 60..<85:
            form = .letter(
                LetterForm(
                    letterType: random.below(10) < 3 ? .party : .administrative,
                    persons: [LetterPerson(name: "经办人\(random.below(90) + 10)", title: "科员", idNumber: "2301**********\(1000 + random.below(9000))")],
                    destination: Self.destinations[random.below(Self.destinations.count)],
                    matter: Self.matters[random.below(Self.matters.count)], validDays: 3 + random.below(13),
                    important: random.below(7) == 0))
        case 85..<95:
            let original = random.below(10) < 3
            form = .certificate(
                CertificateRequestForm(
                    documents: [CertificateDocument.allCases[random.below(3)]], form: original ? .original : .copy,
                    copies: original ? nil : 1 + random.below(3), purpose: "项目申报", recipient: "科技厅",
                    borrowFrom: original ? now : nil, dueBack: original ? now + 7 * 86_400 : nil))
        default:
            form = .sealCarving(
                SealCarvingForm(
                    sealName: "业务专用章（\(random.below(900) + 100)）", category: .business,
                    departmentId: Self.departments[applicant] ?? "D10", reason: .new, basisDocument: "哈理工发〔2026〕8号",
                    size: 40, quantity: 1, custodian: Self.keepers[applicant] ?? "20010009", scope: "业务文件"))
        }
        let roll = random.below(100)
        if ends {
            ending = roll < 80 ? .completed : roll < 92 ? .rejected : .cancelled
        } else {
            ending = roll < 50 ? .inReview(approvals: random.below(4)) : roll < 65 ? .returned : .approved
        }
    }

    func play(on processor: CommandProcessor, random: inout DemoRandom) async throws {
        let attachments = [Attachment(name: "材料.pdf", size: 102_400, sha256: String(repeating: "d3", count: 32))]
        guard let id = try await processor.execute(.submit(form: form, attachments: attachments), actor: applicant)
            .application?.id
        else { throw DemoError.stuck("a submission recorded nothing") }
        let steps = try processor.application(id)?.route.count ?? 0
        switch ending {
        case .completed:
            try await approve(id, steps: steps, on: processor, random: &random)
            try await fulfil(id, on: processor)
        case .approved:
            try await approve(id, steps: steps, on: processor, random: &random)
        case .inReview(let approvals):
            try await approve(id, steps: min(approvals, steps - 1), on: processor, random: &random)
        case .rejected, .returned:
            try await approve(id, steps: random.below(steps), on: processor, random: &random)
            let decision: Decision = { if case .rejected = ending { .reject } else { .return } }()
            try await decide(id, decision, comment: decision == .reject ? "不符合规定" : "请补充材料", on: processor, random: &random)
        case .cancelled:
            try await decide(id, .return, comment: "请补充材料", on: processor, random: &random)
            try await run(.cancel(applicationId: id, comment: "不再需要", expectedVersion: try version(id, processor)), as: applicant, on: processor)
        }
    }

    private func approve(_ id: String, steps: Int, on processor: CommandProcessor, random: inout DemoRandom) async throws {
        for _ in 0..<steps {
            try await decide(id, .approve, comment: "同意", on: processor, random: &random)
        }
    }

    private func decide(_ id: String, _ decision: Decision, comment: String, on processor: CommandProcessor, random: inout DemoRandom) async throws {
        let candidates = processor.withState { $0.candidates(for: id) }
        guard !candidates.isEmpty else { throw DemoError.stuck("no candidate for the pending step of \(id)") }
        let decider = candidates[random.below(candidates.count)]
        try await run(.decide(applicationId: id, decision: decision, comment: comment, expectedVersion: try version(id, processor)), as: decider, on: processor)
    }

    /// Every fulfilment action the approved application needs, by its keepers or the office.
    private func fulfil(_ id: String, on processor: CommandProcessor) async throws {
        let office = processor.withState { $0.officeReviewers.first } ?? ""
        var actions = [(FulfilmentAction, String)]()
        switch form {
        case .sealUse(let use):
            for seal in use.seals {
                let keeper = processor.withState { $0.seals[seal]?.custodian } ?? ""
                if use.takeOut { actions.append((.checkOut(seal: seal), keeper)) }
                actions.append((.affix(seal: seal, impressions: use.copies, scan: nil), keeper))
                if use.takeOut { actions.append((.checkIn(seal: seal), keeper)) }
            }
        case .letter: actions = [(.issue, office)]
        case .certificate(let request):
            actions = request.form == .copy
                ? [(.provideCopies(copies: request.copies ?? 1), office)]
                : [(.lend, office), (.returnOriginals(comment: "完好"), office)]
        case .sealCarving:
            actions = [
                (.file(filingNumber: "哈公备2026"), office), (.recordMade(maker: "印章刻制中心"), office),
                (.activate(imprint: String(repeating: "e4", count: 32), noticeNumber: "党办〔2026〕", effectiveDate: Date()), office),
            ]
        case .sealAbolition: break
        }
        for (action, actor) in actions {
            try await run(.fulfil(applicationId: id, action: action, expectedVersion: try version(id, processor)), as: actor, on: processor)
        }
    }

    private func version(_ id: String, _ processor: CommandProcessor) throws -> Int {
        try processor.application(id)?.version ?? 0
    }

    private func run(_ command: Command, as actor: String, on processor: CommandProcessor) async throws {
        _ = try await processor.execute(command, actor: actor)
    }
}
