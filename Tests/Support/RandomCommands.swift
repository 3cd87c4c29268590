import Foundation

@testable import Events

/// Turns random numbers into commands that are plausible in a world: mostly aimed at real applications, seals
/// and letters, by the actor who may (or, now and then, may not) act, with the current version or a stale one.
/// It remembers the ids it has seen (`observe`), so that a long history stays cheap to extend.
public struct RandomCommands {
    var applicationIds: [String] = []
    var letterSerials: [String] = []
    var sealIds: [String] = []

    /// Starts from what `world` already holds.
    public init(world: World) {
        applicationIds = world.state.applications.keys.sorted()
        letterSerials = world.state.letters.keys.sorted()
        sealIds = world.state.seals.keys.sorted()
    }

    /// Notes the applications and letters that `events` created.
    public mutating func observe(_ events: [DomainEvent]) {
        for event in events {
            switch event {
            case .applicationSubmitted(let submitted): applicationIds.append(submitted.applicationId)
            case .letterIssued(let issued): letterSerials.append(issued.letter.serial)
            case .sealRegistered(let registered): sealIds.append(registered.seal)
            default: break
            }
        }
    }

    /// An application from `number` on that satisfies `wanted`, trying several; else the one at `number`.
    private func pick(_ number: Int, in world: World, where wanted: (Application) -> Bool) -> Application {
        for attempt in 0..<32 {
            let candidate = world.application(applicationIds[(number &+ attempt &* 7919) % applicationIds.count])
            if wanted(candidate) { return candidate }
        }
        return world.application(applicationIds[number % applicationIds.count])
    }

    /// Turns a random number into a command that is plausible in `world`: mostly aimed at real applications,
    /// seals and letters, by the actor who may (or, now and then, may not) act, with the current version or a
    /// stale one.
    public func command(from number: Int, in world: World) -> (Command, String) {
        let accounts = world.state.accounts.keys.sorted()
        let seals = sealIds
        let someone = accounts[(number / 7) % accounts.count]
        let stale = number % 13 == 0
        guard !applicationIds.isEmpty, number % 10 != 0 else {
            let forms = [
                (number / 7) % 2 == 0
                    ? Cast.sealUse([SealCategory.allCases[(number / 10) % 9]], takeOut: true)
                    : Cast.sealUse([SealCategory.allCases[(number / 10) % 9], .department], amount: [0, 20_000, 150_000, 2_000_000][(number / 90) % 4]),
                Cast.letter(important: number % 2 == 0, validDays: 1 + (number / 10) % 30, type: number % 4 == 0 ? .party : .administrative),
                Cast.certificate([CertificateDocument.allCases[(number / 10) % 3]], original: number % 2 == 0),
                Cast.carving(SealCategory.allCases[(number / 10) % 9]),
                Cast.abolition(seals[(number / 10) % seals.count]),
            ]
            let applicant = [Cast.applicant, Cast.colleague, Cast.otherApplicant, Cast.deptKeeper, Cast.student][(number / 3) % 5]
            return (.submit(form: forms[(number / 20) % forms.count], attachments: [Cast.attachment]), applicant)
        }
        let application = pick(number / 100, in: world) { number % 5 == 0 || !$0.status.isTerminal }
        let id = application.id
        let version = stale ? application.version - 1 : application.version
        let decider = number % 11 == 0 ? someone : (world.candidate(for: id) ?? someone)
        let keeper = application.sealIds.compactMap { world.state.seals[$0]?.custodian }.first ?? someone
        let seal = application.sealIds.first ?? seals[0]
        switch number % 10 {
        case 7 where number % 3 == 0:
            let target = seals[(number / 1000) % seals.count]
            return [
                (.reportSealLost(seal: target, comment: nil), Cast.office),
                (.handOverSeal(seal: target, to: [Cast.keeper, Cast.deptKeeper][(number / 100) % 2]), Cast.office),
                (.destroySeal(seal: target, supervisors: [Cast.auditor, Cast.legal]), Cast.office),
            ][(number / 10_000) % 3]
        case 1, 2, 3, 7:
            let decision: Decision = [.approve, .approve, .approve, .reject, .return][(number / 1000) % 5]
            return (.decide(applicationId: id, decision: decision, comment: "意见", expectedVersion: version), decider)
        case 4:
            switch (number / 1000) % 3 {
            case 0: return (.withdraw(applicationId: id, comment: nil, expectedVersion: version), application.applicant)
            case 1: return (.cancel(applicationId: id, comment: nil, expectedVersion: version), application.applicant)
            default: return (.resubmit(applicationId: id, form: application.form, attachments: [Cast.attachment], expectedVersion: version), application.applicant)
            }
        case 5, 6 where number % 4 != 0:
            let target = pick(number / 100, in: world) { $0.status == .approved }
            var (action, actor) = Self.nextStep(of: target, in: world)
            if number % 5 == 0, case .sealUse(let form) = target.form, !form.takeOut {
                action = .refuse(seal: form.seals[0], comment: "文件与申请不符")
                actor = world.state.seals[form.seals[0]]?.custodian ?? actor
            }
            return (.fulfil(applicationId: target.id, action: action, expectedVersion: stale ? target.version - 1 : target.version), actor)
        case 5, 6:
            let actions: [FulfilmentAction] = [
                .affix(seal: seal, impressions: 1, scan: nil), .checkOut(seal: seal), .checkIn(seal: seal),
                .refuse(seal: seal, comment: "不符"), .issue, .provideCopies(copies: 1), .lend, .returnOriginals(comment: nil),
                .file(filingNumber: "备案"), .recordMade(maker: "刻章厂"),
                .activate(imprint: String(repeating: "ab", count: 32), noticeNumber: "通知", effectiveDate: world.now),
                .handIn(handedInBy: "甲", receivedBy: "乙"), .sealUp(location: "柜"),
            ]
            let action = actions[(number / 1000) % actions.count]
            let actor = number % 2 == 0 ? keeper : Cast.office
            return (.fulfil(applicationId: id, action: action, expectedVersion: version), actor)
        default:
            guard !letterSerials.isEmpty else { return (.withdraw(applicationId: id, comment: nil, expectedVersion: version), someone) }
            let serial = letterSerials[(number / 1000) % letterSerials.count]
            return [
                (.returnLetter(serial: serial, comment: nil), Cast.office), (.voidLetter(serial: serial, comment: nil), Cast.office),
                (.reportLetterLost(serial: serial, comment: nil), Cast.office),
            ][(number / 100) % 3]
        }
    }

    /// The fulfilment action an approved application waits for, and who would do it.
    static func nextStep(of application: Application, in world: World) -> (FulfilmentAction, String) {
        let progress = application.fulfilment
        switch application.form {
        case .sealUse(let form):
            let seal = form.seals.first { !progress.affixed.contains($0) || (form.takeOut && !progress.checkedIn.contains($0)) } ?? form.seals[0]
            let keeper = world.state.seals[seal]?.custodian ?? Cast.keeper
            if form.takeOut && !progress.checkedOut.contains(seal) { return (.checkOut(seal: seal), keeper) }
            if !progress.affixed.contains(seal) { return (.affix(seal: seal, impressions: 2, scan: nil), keeper) }
            return (.checkIn(seal: seal), keeper)
        case .sealCarving:
            switch progress.carvedSeals.first.flatMap({ world.state.seals[$0]?.status }) {
            case .filed: return (.recordMade(maker: "刻章厂"), Cast.office)
            case .made: return (.activate(imprint: String(repeating: "ab", count: 32), noticeNumber: "通知", effectiveDate: world.now), Cast.office)
            default: return (.file(filingNumber: "备案"), Cast.office)
            }
        case .sealAbolition(let form):
            let sealedOff = world.state.seals[form.seal]?.status == .handedIn
            return (sealedOff ? .sealUp(location: "柜") : .handIn(handedInBy: "甲", receivedBy: "乙"), Cast.office)
        case .letter:
            return (.issue, Cast.office)
        case .certificate(let form):
            if form.form == .copy { return (.provideCopies(copies: 1), Cast.office) }
            return (progress.lentAt == nil ? .lend : .returnOriginals(comment: nil), Cast.office)
        }
    }
}

extension RandomCommands {
    /// A history from the cast's setup on, then of random commands `world` accepts, a thousandth of a day apart,
    /// until it holds at least `events` events: each command's events with its actor. `world` ends as the history
    /// leaves it.
    public static func history(events: Int, seed: UInt64, in world: inout World) throws
        -> [(events: [DomainEvent], actor: String)]
    {
        var history = [(events: [DomainEvent], actor: String)]()
        for (command, actor) in Cast.setup { history.append((try world.run(command, as: actor), actor)) }
        var generator = SplitMix64(seed: seed)
        var commands = RandomCommands(world: world)
        var count = history.reduce(0) { $0 + $1.events.count }
        while count < events {
            let (command, actor) = commands.command(from: Int.random(in: 0...1_000_000, using: &generator), in: world)
            world.advance(days: 0.001)
            guard let decided = try? world.run(command, as: actor), !decided.isEmpty else { continue }
            commands.observe(decided)
            history.append((decided, actor))
            count += decided.count
        }
        return history
    }
}
