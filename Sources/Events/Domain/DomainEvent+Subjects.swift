extension DomainEvent {
    /// The stream the event belongs to: the subject whose history it is part of.
    public var stream: String {
        switch self {
        case .departmentCreated(let event): "department:\(event.id)"
        case .accountRegistered(let event): "account:\(event.account)"
        case .accountActivated(let event), .passwordChanged(let event): "account:\(event.account)"
        case .roleGranted(let event), .roleRevoked(let event): "account:\(event.account)"
        case .itemPublished(let event): "item:\(event.item.id)"
        case .itemEdited(let event): "item:\(event.id)"
        case .itemOnlineChanged(let event): "item:\(event.id)"
        case .itemWithdrawn(let event), .itemVisited(let event): "item:\(event.id)"
        case .sealRegistered(let event): "seal:\(event.seal)"
        case .sealFiled(let event): "seal:\(event.seal)"
        case .sealMade(let event): "seal:\(event.seal)"
        case .sealActivated(let event): "seal:\(event.seal)"
        case .sealSuspended(let event): "seal:\(event.seal)"
        case .sealHandedIn(let event): "seal:\(event.seal)"
        case .sealSealedUp(let event): "seal:\(event.seal)"
        case .sealDestroyed(let event): "seal:\(event.seal)"
        case .sealReportedLost(let event): "seal:\(event.seal)"
        case .sealCustodianChanged(let event): "seal:\(event.seal)"
        case .lostSealAbolished(let event): "seal:\(event.seal)"
        case .letterIssued(let event): "letter:\(event.letter.serial)"
        case .letterReturnedUnused(let event), .letterVoided(let event), .letterReportedLost(let event):
            "letter:\(event.serial)"
        default: "application:\(applicationId ?? "")"
        }
    }

    /// The application the event concerns, if any.
    public var applicationId: String? {
        switch self {
        case .applicationSubmitted(let event), .applicationResubmitted(let event): event.applicationId
        case .stepApproved(let event), .stepRejected(let event), .stepReturned(let event): event.applicationId
        case .applicationApproved(let event), .applicationCompleted(let event): event.applicationId
        case .applicationWithdrawn(let event), .applicationCancelled(let event): event.applicationId
        case .fulfilmentRefused(let event): event.applicationId
        case .sealAffixed(let event): event.applicationId
        case .sealCheckedOut(let event), .sealCheckedIn(let event): event.applicationId
        case .sealRegistered(let event): event.applicationId
        case .sealFiled(let event): event.applicationId
        case .sealMade(let event): event.applicationId
        case .sealActivated(let event): event.applicationId
        case .sealSuspended(let event): event.applicationId
        case .sealHandedIn(let event): event.applicationId
        case .sealSealedUp(let event): event.applicationId
        case .lostSealAbolished(let event): event.applicationId
        case .letterIssued(let event): event.letter.applicationId
        case .certificateCopiesProvided(let event): event.applicationId
        case .certificateLent(let event): event.applicationId
        case .certificateReturned(let event): event.applicationId
        default: nil
        }
    }

    /// Every subject the event concerns, as log tags, given the state just before it: its own stream; for an
    /// event of an application, the application, its applicant, department and every seal it names; the
    /// account that acted; and the seal, letter, account or item it changes.
    public func tags(in state: HallState, actor: String) -> [String] {
        var tags = [stream]
        if let id = applicationId {
            tags.append("application:\(id)")
            if let application = state.applications[id] {
                tags.append("account:\(application.applicant)")
                tags.append("department:\(application.departmentId)")
                tags += application.sealIds.map { "seal:\($0)" }
            }
        }
        switch self {
        case .applicationSubmitted(let event), .applicationResubmitted(let event):
            tags.append("account:\(event.applicant)")
            tags.append("department:\(event.departmentId)")
            tags += Application.sealIds(of: event.form).map { "seal:\($0)" }
        case .sealAffixed(let event): tags.append("seal:\(event.seal)")
        case .sealCheckedOut(let event), .sealCheckedIn(let event): tags.append("seal:\(event.seal)")
        case .fulfilmentRefused(let event): tags.append("seal:\(event.seal)")
        case .sealRegistered(let event): tags.append("department:\(event.departmentId)")
        case .sealCustodianChanged(let event):
            tags += [event.from, event.to].compactMap { $0 }.map { "account:\($0)" }
        case .accountRegistered(let event): tags.append("department:\(event.departmentId)")
        case .itemPublished(let event): tags.append("department:\(event.item.departmentId)")
        default: break
        }
        if actor != CommandContext.systemActor { tags.append("account:\(actor)") }
        var unique = [String]()
        for tag in tags where !unique.contains(tag) { unique.append(tag) }
        return unique
    }
}

extension Application {
    /// The seals a form names (to use, abolish or replace).
    public static func sealIds(of form: ApplicationForm) -> [String] {
        switch form {
        case .sealUse(let form): form.seals
        case .sealAbolition(let form): [form.seal]
        case .sealCarving(let form): form.replacesSeal.map { [$0] } ?? []
        case .letter, .certificate: []
        }
    }
}
