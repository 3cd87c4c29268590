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
}
