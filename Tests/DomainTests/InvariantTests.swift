import Foundation
import PropertyBased
import Testing
import TestSupport

@testable import Events

@Suite("Invariants under random commands")
struct InvariantTests {
    /// Turns a random number into a command that is plausible in `world`: mostly aimed at real applications,
    /// seals and letters, by the actor who may (or, now and then, may not) act, with the current version or a
    /// stale one.
    static func command(from number: Int, in world: World) -> (Command, String) {
        let accounts = world.state.accounts.keys.sorted()
        let applications = world.state.applications.values.sorted { $0.id < $1.id }
        let seals = world.state.seals.keys.sorted()
        let letters = world.state.letters.keys.sorted()
        let someone = accounts[(number / 7) % accounts.count]
        let stale = number % 13 == 0
        guard !applications.isEmpty, number % 10 != 0 else {
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
        let open = applications.filter { !$0.status.isTerminal }
        let pool = open.isEmpty || number % 5 == 0 ? applications : open
        let application = pool[(number / 100) % pool.count]
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
            let approved = applications.filter { $0.status == .approved }
            let target = approved.isEmpty ? application : approved[(number / 100) % approved.count]
            var (action, actor) = nextStep(of: target, in: world)
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
            guard !letters.isEmpty else { return (.withdraw(applicationId: id, comment: nil, expectedVersion: version), someone) }
            let serial = letters[(number / 1000) % letters.count]
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

    @Test("random command sequences from random actors never break the invariants")
    func invariants() async {
        let seen = LockedValue(Set<String>())
        await propertyCheck(count: 200, input: Gen.int(in: 0...1_000_000).array(of: 1...150)) { numbers in
            guard var world = try? Cast.world() else {
                Issue.record("the cast could not be set up")
                return
            }
            var eventsPerApplication = [String: Int]()
            var affixesPerSeal = [String: Int]()
            for number in numbers {
                let (command, actor) = Self.command(from: number, in: world)
                let before = world.state
                world.advance(days: 0.1)
                do {
                    let events = try Decider.decide(command, state: before, context: CommandContext(actor: actor, now: world.now))
                    for event in events {
                        _ = seen.update { $0.insert(EventCodec.typeName(of: event)) }
                        if case .sealAffixed(let row) = event {
                            #expect(world.state.seals[row.seal]?.status == .active, "a seal that is not active was affixed")
                            affixesPerSeal[row.seal, default: 0] += 1
                        }
                        if let id = event.applicationId, world.state.applications[id] != nil || event.isSubmission {
                            eventsPerApplication[id, default: 0] += 1
                        }
                        world.state.evolve(by: RecordedEvent(event: event, actor: actor, recordedAt: world.now, position: world.state.position + 1))
                    }
                } catch {
                    #expect(world.state == before, "a refused command changed the state")
                }
            }
            Self.checkInvariants(world.state, eventsPerApplication: eventsPerApplication, affixesPerSeal: affixesPerSeal)
        }
        // The random commands must reach deep into every workflow, or the invariants prove little.
        let deep: Set = [
            "SealAffixed", "SealCheckedIn", "LetterIssued", "LetterVoided", "CertificateReturned", "SealActivated",
            "SealSealedUp", "StepRejected", "StepReturned", "ApplicationResubmitted", "ApplicationCancelled",
            "FulfilmentRefused", "SealReportedLost",
        ]
        #expect(deep.subtracting(seen.update { $0 }).isEmpty, "never reached: \(deep.subtracting(seen.update { $0 }))")
    }

    static func checkInvariants(_ state: HallState, eventsPerApplication: [String: Int], affixesPerSeal: [String: Int]) {
        let inProgress = state.applications.values.filter { !$0.status.isTerminal }.count
        let completed = state.applications.values.filter { $0.status.isTerminal }.count
        #expect(inProgress + completed == state.applications.count)
        for application in state.applications.values {
            let decisions = application.route.map(\.decision)
            #expect(application.version == eventsPerApplication[application.id], "\(application.id): version counts its events")
            #expect(application.route.allSatisfy { $0.decidedBy != application.applicant }, "\(application.id) decided by its applicant")
            switch application.status {
            case .inReview:
                let index = application.currentStep ?? -1
                #expect(application.route.indices.contains(index))
                #expect(decisions.prefix(max(index, 0)).allSatisfy { $0 == .approve } && decisions.dropFirst(max(index, 0)).allSatisfy { $0 == nil })
            case .approved, .completed:
                #expect(decisions.allSatisfy { $0 == .approve }, "\(application.id) \(application.status) without every approval")
                #expect(application.currentStep == nil)
            case .rejected:
                #expect(decisions.compactMap { $0 }.last == .reject && decisions.filter { $0 == .reject }.count == 1)
            case .returned, .cancelled:
                #expect(application.currentStep == nil)
            }
            if application.status == .completed, case .sealUse(let form) = application.form {
                #expect(Set(application.fulfilment.affixed) == Set(form.seals))
            }
        }
        for seal in state.seals.values {
            #expect(seal.uses == affixesPerSeal[seal.id, default: 0])
        }
        for (key, letters) in Dictionary(grouping: state.letters.values, by: { HallState.letterSequenceKey($0.type, $0.year) }) {
            #expect(letters.map(\.sequence).sorted() == Array(1...letters.count), "serials of \(key)")
            #expect(state.letterSequences[key] == letters.count)
        }
    }
}

extension DomainEvent {
    var isSubmission: Bool {
        if case .applicationSubmitted = self { return true } else { return false }
    }
}
