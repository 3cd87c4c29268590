/// Seal and letter actions outside an application: destruction, loss, custodian hand-over, letter stubs.
extension Rules {
    func destroy(_ id: String, supervisors: [String]) throws(Rejection) -> [DomainEvent] {
        try requireOffice()
        let seal = try seal(id)
        guard seal.status == .sealedUp else { throw .invalidTransition("只有已封存的印章可以销毁") }
        guard supervisors.count == 2, Set(supervisors).count == 2 else {
            throw .field("supervisors", "销毁须有两名不同的监销人")
        }
        for supervisor in supervisors {
            _ = try account(supervisor, field: "supervisors")
        }
        return [.sealDestroyed(SealDestroyed(seal: id, supervisors: supervisors))]
    }

    func reportLost(_ id: String, comment: String?) throws(Rejection) -> [DomainEvent] {
        let seal = try seal(id)
        guard isOffice || seal.custodian == actor else { throw .forbidden("仅保管人或党政办可以挂失印章") }
        guard seal.status == .active else { throw .invalidTransition("只有启用中的印章可以挂失") }
        return [.sealReportedLost(SealReportedLost(seal: id, by: actor, comment: comment))]
    }

    func handOver(_ id: String, to receiver: String) throws(Rejection) -> [DomainEvent] {
        let seal = try seal(id)
        guard isOffice || seal.custodian == actor else { throw .forbidden("仅保管人或党政办可以办理印章交接") }
        guard [.active, .suspended].contains(seal.status) else { throw .invalidTransition("该状态的印章不能交接") }
        guard seal.checkedOutFor == nil else { throw .invalidTransition("印章外带中，归还后才能交接") }
        let account = try account(receiver, field: "to")
        guard receiver != seal.custodian else { throw .field("to", "接收人与现保管人相同") }
        guard account.roles.contains(where: { $0.role == .sealKeeper }) else {
            throw .field("to", "接收人须为印章管理员")
        }
        return [.sealCustodianChanged(SealCustodianChanged(seal: id, from: seal.custodian, to: receiver))]
    }

    func changeLetter(_ serial: String, to status: LetterStatus, comment: String?) throws(Rejection) -> [DomainEvent] {
        try requireOffice()
        guard let letter = state.letters[serial] else { throw .notFound("介绍信 \(serial) 不存在") }
        guard letter.status == .issued else { throw .invalidTransition("介绍信已\(letter.status.rawValue)，不能再变更") }
        let change = LetterChanged(serial: serial, by: actor, comment: comment)
        switch status {
        case .returned: return [.letterReturnedUnused(change)]
        case .voided: return [.letterVoided(change)]
        case .lost: return [.letterReportedLost(change)]
        case .issued, .expired: throw .invalidTransition("介绍信不能改为此状态")
        }
    }
}
