extension HallState {
    /// The accounts that may decide the application's pending step now (候选人): the holders of the step's role
    /// in its scope, less the applicant; sorted.
    public func candidates(for applicationId: String) -> [String] {
        guard let application = applications[applicationId], application.status == .inReview,
            let index = application.currentStep
        else { return [] }
        let step = application.route[index]
        return accounts.values.filter { $0.holds(step.role, scope: step.scope) && $0.id != application.applicant }
            .map(\.id).sorted()
    }

    /// The office reviewers (党政办审核人), who fulfil carving, abolition, letters and certificates; sorted.
    public var officeReviewers: [String] {
        accounts.values.filter { $0.holds(.officeReviewer, scope: RoleGrant.schoolScope) }.map(\.id).sorted()
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
