extension HallState {
    /// The accounts that may decide the application's pending step now (候选人): the holders of the step's role
    /// in its scope, less the applicant; sorted.
    public func candidates(for applicationId: String) -> [String] {
        guard let application = applications[applicationId], application.status == .inReview,
            let index = application.currentStep
        else { return [] }
        let step = application.route[index]
        var candidates = holders[RoleGrant(role: step.role, scope: step.scope)] ?? []
        candidates.remove(application.applicant)
        return candidates.sorted()
    }

    /// The office reviewers (党政办审核人), who fulfil carving, abolition, letters and certificates; sorted.
    public var officeReviewers: [String] {
        (holders[RoleGrant(role: .officeReviewer, scope: RoleGrant.schoolScope)] ?? []).sorted()
    }

    /// Sets (nil: removes) account `id`, and who holds each of its grants.
    mutating func setAccount(_ account: Account?, id: String) {
        for grant in accounts[id]?.roles ?? [] {
            holders[grant]?.remove(id)
            if holders[grant]?.isEmpty == true { holders[grant] = nil }
        }
        accounts[id] = account
        for grant in account?.roles ?? [] {
            holders[grant, default: []].insert(id)
        }
    }

    /// Changes account `id` in place, when there is one.
    mutating func updateAccount(_ id: String, _ change: (inout Account) -> Void) {
        guard var account = accounts[id] else { return }
        change(&account)
        setAccount(account, id: id)
    }

    /// Who may act on the application now: its pending step's candidates while in review; once approved, the
    /// keepers of its seals (seal use) or the office (the other kinds); nobody otherwise. Sorted.
    public func mayActNow(on application: Application) -> [String] {
        switch application.status {
        case .inReview where application.currentStep != nil:
            return candidates(for: application.id)
        case .approved:
            guard case .sealUse(let form) = application.form else { return officeReviewers }
            return Set(form.seals.compactMap { seals[$0]?.custodian }).sorted()
        default:
            return []
        }
    }

    /// What an application's view shows besides the application itself, as the state stands.
    public func standing(of application: Application) -> ApplicationStanding {
        ApplicationStanding(
            applicantName: accounts[application.applicant]?.name ?? application.applicant,
            mayActNow: mayActNow(on: application),
            letter: application.fulfilment.letterSerial.flatMap { letters[$0] })
    }
}

/// The people and the letter around an application, as of one state: who applied (by name), who may act now,
/// and the letter it issued, with the letter's current status.
public struct ApplicationStanding: Sendable, Equatable {
    public var applicantName: String
    public var mayActNow: [String]
    public var letter: Letter?
}
