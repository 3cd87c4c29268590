/// Submitting and deciding applications (DOMAIN.md §3): routes, steps, separation of duties.
extension Rules {
    func submit(_ form: ApplicationForm, attachments: [Attachment]) throws(Rejection) -> [DomainEvent] {
        let applicant = try requireApplicant()
        let route = try checkedRoute(for: form, attachments: attachments, applicant: applicant)
        let year = ShanghaiTime.year(of: context.now)
        let number = (state.applicationNumbers[year] ?? 0) + 1
        let id = "A\(year)-\(String(repeating: "0", count: max(0, 6 - String(number).count)))\(number)"
        return [
            .applicationSubmitted(
                ApplicationSubmitted(
                    applicationId: id, applicant: applicant.id, departmentId: applicant.departmentId, form: form,
                    attachments: attachments, route: route))
        ]
    }

    func resubmit(_ id: String, form: ApplicationForm, attachments: [Attachment], expectedVersion: Int)
        throws(Rejection) -> [DomainEvent]
    {
        let application = try application(id, expectedVersion: expectedVersion)
        let applicant = try requireApplicant()
        guard application.applicant == applicant.id else { throw .forbidden("只能重新提交本人的办件") }
        guard application.status == .returned else { throw .invalidTransition("只有被退回或已撤回的办件可以重新提交") }
        guard form.kind == application.kind else { throw .field("kind", "重新提交不能改变办件类型") }
        let route = try checkedRoute(for: form, attachments: attachments, applicant: applicant)
        return [
            .applicationResubmitted(
                ApplicationSubmitted(
                    applicationId: id, applicant: applicant.id, departmentId: application.departmentId, form: form,
                    attachments: attachments, route: route))
        ]
    }

    func decide(_ id: String, decision: Decision, comment: String?, expectedVersion: Int) throws(Rejection)
        -> [DomainEvent]
    {
        let application = try application(id, expectedVersion: expectedVersion)
        guard application.status == .inReview, let index = application.currentStep else {
            throw .invalidTransition("办件当前不在审批中（\(application.status.rawValue)）")
        }
        let step = application.route[index]
        guard let account = actorAccount, account.holds(step.role, scope: step.scope) else {
            throw .notYourStep("当前步骤（\(step.step.rawValue)）不由您审批")
        }
        guard account.id != application.applicant else { throw .forbidden("不能审批本人提交的办件") }
        if decision != .approve {
            try requireText(comment, field: "comment", name: decision == .reject ? "不同意的理由" : "退回修改的意见")
        }
        let decided = StepDecided(applicationId: id, stepIndex: index, step: step.step, by: actor, comment: comment)
        switch decision {
        case .reject: return [.stepRejected(decided)]
        case .return: return [.stepReturned(decided)]
        case .approve:
            guard index == application.route.count - 1 else { return [.stepApproved(decided)] }
            return [.stepApproved(decided), .applicationApproved(ApplicationRef(applicationId: id))]
                + (try effectsOfApproval(application))
        }
    }

    func withdraw(_ id: String, comment: String?, expectedVersion: Int) throws(Rejection) -> [DomainEvent] {
        let application = try ownApplication(id, expectedVersion: expectedVersion)
        guard application.status == .inReview else { throw .invalidTransition("只有审批中的办件可以撤回") }
        return [.applicationWithdrawn(ApplicationAction(applicationId: id, by: actor, comment: comment))]
    }

    func cancel(_ id: String, comment: String?, expectedVersion: Int) throws(Rejection) -> [DomainEvent] {
        let application = try ownApplication(id, expectedVersion: expectedVersion)
        guard application.status == .inReview || application.status == .returned else {
            throw .invalidTransition("只有审批中或被退回的办件可以终止")
        }
        return [.applicationCancelled(ApplicationAction(applicationId: id, by: actor, comment: comment))]
    }

    /// What approving the last step sets off at once: carving registers the new seals, abolition suspends the
    /// seal (or, for a lost seal, records the abolition and completes).
    private func effectsOfApproval(_ application: Application) throws(Rejection) -> [DomainEvent] {
        switch application.form {
        case .sealCarving(let form):
            return (1...form.quantity).map { copy in
                .sealRegistered(
                    SealRegistered(
                        seal: "\(application.id)-S\(copy)", name: form.sealName, category: form.category,
                        departmentId: form.departmentId, status: .approved, custodian: nil,
                        applicationId: application.id))
            }
        case .sealAbolition(let form):
            let seal = try seal(form.seal)
            if seal.status == .lost {
                return [
                    .lostSealAbolished(LostSealAbolished(seal: seal.id, applicationId: application.id)),
                    .applicationCompleted(ApplicationRef(applicationId: application.id)),
                ]
            }
            guard seal.status == .active else {
                throw .sealNotActive(seal: seal.id, status: seal.status, message: "印章\(seal.name)已不在启用状态，无法废止")
            }
            return [.sealSuspended(SealSuspended(seal: seal.id, applicationId: application.id, reason: "印章废止审批通过，停用"))]
        case .sealUse, .letter, .certificate:
            return []
        }
    }

    private func ownApplication(_ id: String, expectedVersion: Int) throws(Rejection) -> Application {
        let application = try application(id, expectedVersion: expectedVersion)
        guard application.applicant == actor else { throw .forbidden("只能处理本人提交的办件") }
        return application
    }

    /// An activated staff account: anyone else may not apply.
    private func requireApplicant() throws(Rejection) -> Account {
        guard let account = actorAccount else { throw .forbidden("请先登录") }
        guard account.isActivated else { throw .forbidden("账号尚未激活") }
        guard account.kind == .staff else { throw .forbidden("学生账号不能发起用印类事项") }
        return account
    }

    /// Validates the form against itself and the state, then computes its route.
    private func checkedRoute(for form: ApplicationForm, attachments: [Attachment], applicant: Account)
        throws(Rejection) -> [RouteStep]
    {
        var errors = FormValidation.errors(in: form, attachments: attachments)
        switch form {
        case .sealUse(let form):
            for (index, id) in form.seals.enumerated() {
                guard let seal = state.seals[id] else {
                    errors.append(FieldError("seals[\(index)]", "印章 \(id) 不存在"))
                    continue
                }
                guard seal.status == .active else {
                    throw .sealNotActive(
                        seal: id, status: seal.status, message: "印章\(seal.name)当前状态为\(seal.status.rawValue)，不能申请使用")
                }
            }
        case .sealCarving(let form):
            if state.departments[form.departmentId] == nil {
                errors.append(FieldError("departmentId", "部门 \(form.departmentId) 不存在"))
            }
            if state.accounts[form.custodian] == nil {
                errors.append(FieldError("custodian", "保管人账号 \(form.custodian) 不存在"))
            }
            if let old = form.replacesSeal, form.reason != .new {
                if let seal = state.seals[old] {
                    if form.reason == .lostRemake && seal.status != .lost {
                        errors.append(FieldError("replacesSeal", "遗失补刻须原印章已挂失"))
                    }
                    if form.reason == .replace && seal.status != .active {
                        errors.append(FieldError("replacesSeal", "更换的原印章须为启用状态"))
                    }
                } else {
                    errors.append(FieldError("replacesSeal", "原印章 \(old) 不存在"))
                }
            }
        case .sealAbolition(let form):
            if let seal = state.seals[form.seal] {
                if seal.status != .active && seal.status != .lost {
                    errors.append(FieldError("seal", "只有启用或挂失的印章可以申请废止"))
                } else if seal.abolishedBy != nil || hasAbolitionInFlight(for: seal.id) {
                    errors.append(FieldError("seal", "该印章已有废止申请"))
                }
            } else {
                errors.append(FieldError("seal", "印章 \(form.seal) 不存在"))
            }
        case .letter, .certificate:
            break
        }
        guard errors.isEmpty else { throw .validation(errors) }
        return Routing.route(for: form, applicantDepartment: applicant.departmentId, seals: state.seals)
    }

    private func hasAbolitionInFlight(for seal: String) -> Bool {
        state.applications.values.contains { application in
            guard case .sealAbolition(let form) = application.form, form.seal == seal else { return false }
            return !application.status.isTerminal
        }
    }
}
