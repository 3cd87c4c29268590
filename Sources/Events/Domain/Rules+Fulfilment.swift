import Foundation

/// Fulfilling approved applications: keepers affix and move seals; the office issues letters, runs carving
/// and abolition to their end, and hands out certificates (DOMAIN.md §3.1–3.5).
extension Rules {
    func fulfil(_ id: String, action: FulfilmentAction, expectedVersion: Int) throws(Rejection) -> [DomainEvent] {
        let application = try application(id, expectedVersion: expectedVersion)
        guard application.status == .approved else { throw .invalidTransition("办件尚未审批通过或已办结") }
        guard actor != application.applicant else { throw .forbidden("不能为本人的办件办理用印或出件") }
        switch (application.form, action) {
        case (.sealUse(let form), .affix(let seal, let impressions, let scan)):
            return try affix(application, form, seal: seal, impressions: impressions, scan: scan)
        case (.sealUse(let form), .refuse(let seal, let comment)):
            _ = try keptSeal(seal, of: form)
            try requireText(comment, field: "comment", name: "拒绝用印的理由")
            let out = Set(application.fulfilment.checkedOut).subtracting(application.fulfilment.checkedIn)
            guard out.isEmpty else { throw .invalidTransition("本办件外带的印章尚未归还，归还后才能退回") }
            return [.fulfilmentRefused(FulfilmentRefused(applicationId: id, seal: seal, by: actor, comment: comment))]
        case (.sealUse(let form), .checkOut(let seal)):
            return try checkOut(application, form, seal: seal)
        case (.sealUse(let form), .checkIn(let seal)):
            _ = try keptSeal(seal, of: form)
            guard application.fulfilment.checkedOut.contains(seal), !application.fulfilment.checkedIn.contains(seal)
            else { throw .invalidTransition("该印章未随本办件外带，无需归还") }
            let movement = SealMovement(applicationId: id, seal: seal, by: actor, until: nil)
            var progress = application.fulfilment
            progress.checkedIn.append(seal)
            return [.sealCheckedIn(movement)] + completion(application, form, progress)
        case (.sealCarving(let form), _):
            try requireOffice()
            return try carve(application, form, action: action)
        case (.sealAbolition(let form), _):
            try requireOffice()
            return try abolish(application, form, action: action)
        case (.letter(let form), .issue):
            try requireOffice()
            return issue(application, form)
        case (.certificate(let form), _):
            try requireOffice()
            return try handOut(application, form, action: action)
        default:
            throw .invalidTransition("该办件类型不支持此办理操作")
        }
    }

    private func affix(_ application: Application, _ form: SealUseForm, seal id: String, impressions: Int, scan: String?)
        throws(Rejection) -> [DomainEvent]
    {
        let seal = try keptSeal(id, of: form)
        guard seal.status == .active else {
            throw .sealNotActive(
                seal: id, status: seal.status, message: "印章\(seal.name)已\(seal.status.rawValue)，不能用印，请联系党政办")
        }
        guard !application.fulfilment.affixed.contains(id) else { throw .invalidTransition("该印章已为本办件用印") }
        if form.takeOut && !application.fulfilment.checkedOut.contains(id) {
            throw .invalidTransition("外带用印须先办理印章借出")
        }
        guard (1...1000).contains(impressions) else { throw .field("impressions", "用印次数须在 1 至 1000 之间") }
        let approvers = application.route.compactMap(\.decidedBy)
        let affixed = SealAffixed(
            applicationId: application.id, seal: id, impressions: impressions, scan: scan, by: actor,
            applicant: application.applicant, departmentId: application.departmentId,
            documentTitle: form.documentTitle, reason: form.reason, approvers: approvers)
        var progress = application.fulfilment
        progress.affixed.append(id)
        return [.sealAffixed(affixed)] + completion(application, form, progress)
    }

    private func checkOut(_ application: Application, _ form: SealUseForm, seal id: String) throws(Rejection)
        -> [DomainEvent]
    {
        let seal = try keptSeal(id, of: form)
        guard form.takeOut else { throw .invalidTransition("本办件未申请外带印章") }
        guard seal.status == .active else {
            throw .sealNotActive(seal: id, status: seal.status, message: "印章\(seal.name)已\(seal.status.rawValue)，不能外带")
        }
        guard seal.checkedOutFor == nil else { throw .invalidTransition("印章\(seal.name)已被借出，尚未归还") }
        return [
            .sealCheckedOut(
                SealMovement(applicationId: application.id, seal: id, by: actor, until: form.takeOutUntil))
        ]
    }

    /// The completion event, when the progress leaves nothing to do: every seal affixed (and back, if taken out).
    private func completion(_ application: Application, _ form: SealUseForm, _ progress: Fulfilment) -> [DomainEvent] {
        let allAffixed = Set(progress.affixed) == Set(form.seals)
        let allBack = !form.takeOut || Set(progress.checkedIn) == Set(form.seals)
        return allAffixed && allBack ? [.applicationCompleted(ApplicationRef(applicationId: application.id))] : []
    }

    /// A seal the form names and the actor keeps.
    private func keptSeal(_ id: String, of form: SealUseForm) throws(Rejection) -> Seal {
        guard form.seals.contains(id) else { throw .field("seal", "本办件未申请使用印章 \(id)") }
        let seal = try seal(id)
        guard seal.custodian == actor else { throw .forbidden("您不是印章\(seal.name)的保管人") }
        return seal
    }

    private func carve(_ application: Application, _ form: SealCarvingForm, action: FulfilmentAction)
        throws(Rejection) -> [DomainEvent]
    {
        let seals = application.fulfilment.carvedSeals
        func requireAll(_ status: SealStatus, _ message: String) throws(Rejection) {
            guard seals.allSatisfy({ state.seals[$0]?.status == status }) else { throw .invalidTransition(message) }
        }
        let id = application.id
        switch action {
        case .file(let number):
            try requireText(number, field: "filingNumber", name: "公安备案号")
            try requireAll(.approved, "印章须处于已批准待备案状态")
            return seals.map { .sealFiled(SealFiled(seal: $0, filingNumber: number, applicationId: id)) }
        case .recordMade(let maker):
            try requireText(maker, field: "maker", name: "刻制单位")
            try requireAll(.filed, "印章须先完成公安备案")
            return seals.map { .sealMade(SealMade(seal: $0, maker: maker, applicationId: id)) }
        case .activate(let imprint, let notice, let effectiveDate):
            try requireAll(.made, "印章须先完成刻制")
            guard imprint.count == 64, imprint.allSatisfy(\.isHexDigit) else { throw .field("imprint", "请上传印模") }
            try requireText(notice, field: "noticeNumber", name: "启用通知文号")
            var events: [DomainEvent] = seals.map {
                .sealActivated(
                    SealActivated(
                        seal: $0, imprint: imprint, noticeNumber: notice, effectiveDate: effectiveDate,
                        custodian: form.custodian, applicationId: id))
            }
            if form.reason == .replace, let old = form.replacesSeal, state.seals[old]?.status == .active {
                events.append(.sealSuspended(SealSuspended(seal: old, applicationId: id, reason: "已由新刻印章替换，停用待交回")))
            }
            return events + [.applicationCompleted(ApplicationRef(applicationId: id))]
        default:
            throw .invalidTransition("印章刻制办件的办理步骤为：备案、刻制、启用")
        }
    }

    private func abolish(_ application: Application, _ form: SealAbolitionForm, action: FulfilmentAction)
        throws(Rejection) -> [DomainEvent]
    {
        let seal = try seal(form.seal)
        switch action {
        case .handIn(let handedInBy, let receivedBy):
            try requireText(handedInBy, field: "handedInBy", name: "交回人")
            try requireText(receivedBy, field: "receivedBy", name: "接收人")
            guard seal.status == .suspended else { throw .invalidTransition("印章须处于停用状态才能交回") }
            return [
                .sealHandedIn(
                    SealHandedIn(seal: seal.id, handedInBy: handedInBy, receivedBy: receivedBy, applicationId: application.id))
            ]
        case .sealUp(let location):
            try requireText(location, field: "location", name: "封存地点")
            guard seal.status == .handedIn else { throw .invalidTransition("印章须先交回才能封存") }
            return [
                .sealSealedUp(SealSealedUp(seal: seal.id, location: location, applicationId: application.id)),
                .applicationCompleted(ApplicationRef(applicationId: application.id)),
            ]
        default:
            throw .invalidTransition("印章废止办件的办理步骤为：交回、封存")
        }
    }

    /// Issues the letter with the next serial of its type and year: gapless, never reused.
    private func issue(_ application: Application, _ form: LetterForm) -> [DomainEvent] {
        let year = ShanghaiTime.year(of: context.now)
        let sequence = (state.letterSequences[HallState.letterSequenceKey(form.letterType, year)] ?? 0) + 1
        let letter = Letter(
            serial: "\(form.letterType.rawValue)-\(year)-\(sequence)", type: form.letterType, year: year,
            sequence: sequence, number: form.letterType.number(year: year, serial: sequence),
            applicationId: application.id, persons: form.persons, destination: form.destination, matter: form.matter,
            issuedAt: context.now, expiresAt: context.now.addingTimeInterval(Double(form.validDays) * 86_400),
            status: .issued)
        return [.letterIssued(LetterIssued(letter: letter)), .applicationCompleted(ApplicationRef(applicationId: application.id))]
    }

    private func handOut(_ application: Application, _ form: CertificateRequestForm, action: FulfilmentAction)
        throws(Rejection) -> [DomainEvent]
    {
        let id = application.id
        let completed = DomainEvent.applicationCompleted(ApplicationRef(applicationId: id))
        switch (form.form, action) {
        case (.copy, .provideCopies(let copies)):
            guard (1...50).contains(copies) else { throw .field("copies", "复印份数须在 1 至 50 之间") }
            return [
                .certificateCopiesProvided(
                    CertificateCopiesProvided(applicationId: id, documents: form.documents, copies: copies, by: actor)),
                completed,
            ]
        case (.original, .lend):
            guard application.fulfilment.lentAt == nil else { throw .invalidTransition("原件已借出") }
            guard let dueBack = form.dueBack else { throw .field("dueBack", "缺少归还日期") }
            return [.certificateLent(CertificateLent(applicationId: id, documents: form.documents, dueBack: dueBack, by: actor))]
        case (.original, .returnOriginals(let comment)):
            guard application.fulfilment.lentAt != nil else { throw .invalidTransition("原件尚未借出") }
            return [.certificateReturned(CertificateReturned(applicationId: id, by: actor, comment: comment)), completed]
        default:
            throw .invalidTransition(form.form == .copy ? "复印件办件的办理步骤为：提供复印件" : "原件办件的办理步骤为：借出、归还")
        }
    }
}
