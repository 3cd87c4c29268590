import Foundation

/// The business rules of DOMAIN.md as one pure function: what a command means, given the state.
///
/// `decide` reads nothing but its arguments, writes nothing, and either returns the events that record the
/// command's effect or a `Rejection` — never both. Its companion `HallState.evolve` applies those events.
public enum Decider {
    public static func decide(_ command: Command, state: HallState, context: CommandContext) throws(Rejection)
        -> [DomainEvent]
    {
        let rules = Rules(state: state, context: context)
        switch command {
        case .createDepartment(let id, let name): return try rules.createDepartment(id: id, name: name)
        case .registerAccount(let account, let name, let department, let kind, let roles):
            return try rules.registerAccount(account, name: name, departmentId: department, kind: kind, roles: roles)
        case .grantRole(let account, let grant): return try rules.changeRole(account, grant: grant, granting: true)
        case .revokeRole(let account, let grant): return try rules.changeRole(account, grant: grant, granting: false)
        case .registerExistingSeal(let id, let name, let category, let department, let custodian):
            return try rules.registerExistingSeal(
                id: id, name: name, category: category, departmentId: department, custodian: custodian)
        case .publishItem(let item): return try rules.publish(item)
        case .editItem(let edit): return try rules.edit(edit)
        case .setItemOnline(let id, let online): return try rules.setOnline(id, online: online)
        case .withdrawItem(let id): return try rules.withdraw(item: id)
        case .changeItem(let edit, let online, let withdraw): return try rules.change(edit, online: online, withdraw: withdraw)
        case .activateAccount(let account): return try rules.activate(account)
        case .changePassword(let account): return try rules.changePassword(account)
        case .visitItem(let id): return try rules.visit(id)
        case .submit(let form, let attachments): return try rules.submit(form, attachments: attachments)
        case .decide(let id, let decision, let comment, let version):
            return try rules.decide(id, decision: decision, comment: comment, expectedVersion: version)
        case .withdraw(let id, let comment, let version):
            return try rules.withdraw(id, comment: comment, expectedVersion: version)
        case .resubmit(let id, let form, let attachments, let version):
            return try rules.resubmit(id, form: form, attachments: attachments, expectedVersion: version)
        case .cancel(let id, let comment, let version): return try rules.cancel(id, comment: comment, expectedVersion: version)
        case .fulfil(let id, let action, let version): return try rules.fulfil(id, action: action, expectedVersion: version)
        case .destroySeal(let seal, let supervisors): return try rules.destroy(seal, supervisors: supervisors)
        case .reportSealLost(let seal, let comment): return try rules.reportLost(seal, comment: comment)
        case .handOverSeal(let seal, let to): return try rules.handOver(seal, to: to)
        case .returnLetter(let serial, let comment): return try rules.changeLetter(serial, to: .returned, comment: comment)
        case .voidLetter(let serial, let comment): return try rules.changeLetter(serial, to: .voided, comment: comment)
        case .reportLetterLost(let serial, let comment): return try rules.changeLetter(serial, to: .lost, comment: comment)
        }
    }
}

/// The state and the asker of one decision, with the checks every rule shares.
struct Rules {
    let state: HallState
    let context: CommandContext

    var actor: String { context.actor }

    var actorAccount: Account? { state.accounts[actor] }

    var isAdmin: Bool {
        actor == CommandContext.systemActor || actorAccount?.holds(.admin, scope: RoleGrant.schoolScope) == true
    }

    var isOffice: Bool {
        actorAccount?.holds(.officeReviewer, scope: RoleGrant.schoolScope) == true
    }

    func requireAdmin() throws(Rejection) {
        guard isAdmin else { throw .forbidden("仅系统管理员可以执行此操作") }
    }

    func requireOffice() throws(Rejection) {
        guard isOffice else { throw .forbidden("仅党政办审核人可以执行此操作") }
    }

    func account(_ id: String, field: String = "account") throws(Rejection) -> Account {
        guard let account = state.accounts[id] else { throw .notFound("账号 \(id) 不存在") }
        return account
    }

    func seal(_ id: String) throws(Rejection) -> Seal {
        guard let seal = state.seals[id] else { throw .notFound("印章 \(id) 不存在") }
        return seal
    }

    /// The application, once the command named its current version.
    func application(_ id: String, expectedVersion: Int) throws(Rejection) -> Application {
        guard let application = state.applications[id] else { throw .notFound("办件 \(id) 不存在") }
        guard application.version == expectedVersion else {
            throw .versionConflict(expected: expectedVersion, actual: application.version)
        }
        return application
    }

    func requireText(_ value: String?, field: String, name: String) throws(Rejection) {
        let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .field(field, "请填写\(name)") }
        guard trimmed.count <= FormValidation.maxText else { throw .field(field, "\(name)不能超过 \(FormValidation.maxText) 字") }
    }

    /// Ids are visible ASCII without spaces or slashes, so they fit in URLs and log keys.
    func requireIdentifier(_ id: String, field: String) throws(Rejection) {
        let allowed = id.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 32 && $0.value < 127 && $0 != "/" }
        guard !id.isEmpty, id.count <= 64, allowed else {
            throw .field(field, "编号须为 1 至 64 个字母、数字或符号，不含空格和斜杠")
        }
    }
}

/// Times shown to people and calendar years are those of Asia/Shanghai.
public enum ShanghaiTime {
    public static let zone = TimeZone(identifier: "Asia/Shanghai")!

    public static func year(of date: Date) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.component(.year, from: date)
    }
}
