import Foundation

extension HallState {
    /// The state after `recorded`: the other half of the rules, as pure as `Decider.decide`.
    public func evolved(by recorded: RecordedEvent) -> HallState {
        var state = self
        state.evolve(by: recorded)
        return state
    }

    /// Applies `recorded` in place.
    public mutating func evolve(by recorded: RecordedEvent) {
        position = recorded.position
        let at = recorded.recordedAt
        switch recorded.event {
        case .departmentCreated(let event):
            departments[event.id] = Department(id: event.id, name: event.name)
        case .accountRegistered(let event):
            let account = Account(
                id: event.account, name: event.name, departmentId: event.departmentId, kind: event.kind,
                roles: event.roles, isActivated: false)
            setAccount(account, id: event.account)
        case .accountActivated(let event):
            updateAccount(event.account) { $0.isActivated = true }
        case .passwordChanged:
            break
        case .roleGranted(let event):
            updateAccount(event.account) { $0.roles.append(event.grant) }
        case .roleRevoked(let event):
            updateAccount(event.account) { $0.roles.removeAll { $0 == event.grant } }
        case .itemPublished(let event):
            items[event.item.id] = event.item
        case .itemEdited(let edit):
            guard var item = items[edit.id] else { return }
            item.name = edit.name ?? item.name
            item.departmentId = edit.departmentId ?? item.departmentId
            item.theme = edit.theme ?? item.theme
            item.audience = edit.audience ?? item.audience
            item.guide = edit.guide ?? item.guide
            items[edit.id] = item
        case .itemOnlineChanged(let event):
            items[event.id]?.online = event.online
        case .itemWithdrawn(let event):
            items[event.id]?.withdrawn = true
        case .itemVisited(let event):
            items[event.id]?.visits += 1
        case .applicationSubmitted(let event):
            let year = Int(event.applicationId.dropFirst().prefix(4)) ?? 0
            let number = Int(event.applicationId.split(separator: "-").last ?? "") ?? 0
            applicationNumbers[year] = max(applicationNumbers[year] ?? 0, number)
            applications[event.applicationId] = Application(
                id: event.applicationId, applicant: event.applicant, departmentId: event.departmentId,
                form: event.form, attachments: event.attachments, route: event.route, currentStep: 0,
                status: .inReview, version: 1, submittedAt: at, fulfilment: Fulfilment())
        case .applicationResubmitted(let event):
            updateApplication(event.applicationId) { application in
                application.form = event.form
                application.attachments = event.attachments
                application.route = event.route
                application.currentStep = 0
                application.status = .inReview
                application.fulfilment = Fulfilment()
            }
        case .stepApproved(let event):
            record(event, decision: .approve, at: at) { application in
                let next = event.stepIndex + 1
                application.currentStep = next < application.route.count ? next : nil
            }
        case .stepRejected(let event):
            record(event, decision: .reject, at: at) { $0.status = .rejected }
        case .stepReturned(let event):
            record(event, decision: .return, at: at) { $0.status = .returned }
        case .applicationApproved(let event):
            updateApplication(event.applicationId) { $0.status = .approved }
        case .applicationWithdrawn(let event):
            updateApplication(event.applicationId) { $0.status = .returned; $0.currentStep = nil }
        case .applicationCancelled(let event):
            updateApplication(event.applicationId) { $0.status = .cancelled; $0.currentStep = nil }
        case .applicationCompleted(let event):
            updateApplication(event.applicationId) { $0.status = .completed }
        case .fulfilmentRefused(let event):
            updateApplication(event.applicationId) { $0.status = .returned }
        default:
            evolveFulfilment(recorded.event, at: at)
        }
    }

    /// The events of fulfilment and of the registers: seals, letters, certificates.
    private mutating func evolveFulfilment(_ event: DomainEvent, at: Date) {
        switch event {
        case .sealAffixed(let event):
            seals[event.seal]?.uses += 1
            updateApplication(event.applicationId) { application in
                application.fulfilment.affixed.append(event.seal)
                if let scan = event.scan { application.fulfilment.scans.append(scan) }
            }
        case .sealCheckedOut(let event):
            seals[event.seal]?.checkedOutFor = event.applicationId
            seals[event.seal]?.checkedOutUntil = event.until
            updateApplication(event.applicationId) { $0.fulfilment.checkedOut.append(event.seal) }
        case .sealCheckedIn(let event):
            seals[event.seal]?.checkedOutFor = nil
            seals[event.seal]?.checkedOutUntil = nil
            updateApplication(event.applicationId) { $0.fulfilment.checkedIn.append(event.seal) }
        case .sealRegistered(let event):
            seals[event.seal] = Seal(
                id: event.seal, name: event.name, category: event.category, departmentId: event.departmentId,
                status: event.status, custodian: event.custodian, uses: 0)
            updateApplication(event.applicationId) { $0.fulfilment.carvedSeals.append(event.seal) }
        case .sealFiled(let event):
            seals[event.seal]?.status = .filed
            seals[event.seal]?.filingNumber = event.filingNumber
            updateApplication(event.applicationId) { _ in }
        case .sealMade(let event):
            seals[event.seal]?.status = .made
            seals[event.seal]?.maker = event.maker
            updateApplication(event.applicationId) { _ in }
        case .sealActivated(let event):
            seals[event.seal]?.status = .active
            seals[event.seal]?.imprint = event.imprint
            seals[event.seal]?.noticeNumber = event.noticeNumber
            seals[event.seal]?.effectiveDate = event.effectiveDate
            seals[event.seal]?.custodian = event.custodian
            updateApplication(event.applicationId) { _ in }
        case .sealSuspended(let event):
            seals[event.seal]?.status = .suspended
            updateApplication(event.applicationId) { _ in }
        case .sealHandedIn(let event):
            seals[event.seal]?.status = .handedIn
            updateApplication(event.applicationId) { _ in }
        case .sealSealedUp(let event):
            seals[event.seal]?.status = .sealedUp
            seals[event.seal]?.location = event.location
            updateApplication(event.applicationId) { _ in }
        case .sealDestroyed(let event):
            seals[event.seal]?.status = .destroyed
        case .sealReportedLost(let event):
            seals[event.seal]?.status = .lost
        case .sealCustodianChanged(let event):
            seals[event.seal]?.custodian = event.to
        case .lostSealAbolished(let event):
            seals[event.seal]?.abolishedBy = event.applicationId
            updateApplication(event.applicationId) { _ in }
        case .letterIssued(let event):
            let letter = event.letter
            letters[letter.serial] = letter
            letterSequences[HallState.letterSequenceKey(letter.type, letter.year)] = letter.sequence
            updateApplication(letter.applicationId) { $0.fulfilment.letterSerial = letter.serial }
        case .letterReturnedUnused(let event):
            letters[event.serial]?.status = .returned
        case .letterVoided(let event):
            letters[event.serial]?.status = .voided
        case .letterReportedLost(let event):
            letters[event.serial]?.status = .lost
        case .certificateCopiesProvided(let event):
            updateApplication(event.applicationId) { $0.fulfilment.copiesProvided = event.copies }
        case .certificateLent(let event):
            updateApplication(event.applicationId) { $0.fulfilment.lentAt = at }
        case .certificateReturned(let event):
            updateApplication(event.applicationId) { $0.fulfilment.returnedAt = at }
        default:
            assertionFailure("evolve does not handle \(event)")
        }
    }

    /// Changes an application and counts the change in its version.
    private mutating func updateApplication(_ id: String?, _ change: (inout Application) -> Void) {
        guard let id, var application = applications.removeValue(forKey: id) else { return }
        change(&application)
        application.version += 1
        applications[id] = application
    }

    private mutating func record(
        _ event: StepDecided, decision: Decision, at: Date, then change: (inout Application) -> Void
    ) {
        updateApplication(event.applicationId) { application in
            guard application.route.indices.contains(event.stepIndex) else { return }
            application.route[event.stepIndex].decision = decision
            application.route[event.stepIndex].decidedBy = event.by
            application.route[event.stepIndex].decidedAt = at
            application.route[event.stepIndex].comment = event.comment
            application.currentStep = nil
            change(&application)
        }
    }
}
