/// Departments, accounts, roles, existing seals and the catalog: the admin's rules.
extension Rules {
    func createDepartment(id: String, name: String) throws(Rejection) -> [DomainEvent] {
        try requireAdmin()
        try requireIdentifier(id, field: "id")
        try requireText(name, field: "name", name: "部门名称")
        guard state.departments[id] == nil else { throw .alreadyExists("部门 \(id) 已存在") }
        return [.departmentCreated(DepartmentCreated(id: id, name: name))]
    }

    func registerAccount(
        _ account: String, name: String, departmentId: String, kind: AccountKind, roles: [RoleGrant]
    ) throws(Rejection) -> [DomainEvent] {
        try requireAdmin()
        try requireIdentifier(account, field: "account")
        guard account != CommandContext.systemActor else { throw .field("account", "该账号名为系统保留") }
        try requireText(name, field: "name", name: "姓名")
        // An account belongs to a department, or to the school as a whole (the bootstrap's administrator).
        guard state.departments[departmentId] != nil || departmentId == RoleGrant.schoolScope else {
            throw .field("departmentId", "部门 \(departmentId) 不存在")
        }
        guard state.accounts[account] == nil else { throw .alreadyExists("账号 \(account) 已存在") }
        for grant in roles {
            try requireValidScope(grant)
        }
        var unique = [RoleGrant]()
        for grant in roles where !unique.contains(grant) { unique.append(grant) }
        return [
            .accountRegistered(
                AccountRegistered(account: account, name: name, departmentId: departmentId, kind: kind, roles: unique))
        ]
    }

    func changeRole(_ id: String, grant: RoleGrant, granting: Bool) throws(Rejection) -> [DomainEvent] {
        try requireAdmin()
        let account = try account(id)
        try requireValidScope(grant)
        let change = RoleChanged(account: id, grant: grant)
        if granting {
            guard !account.roles.contains(grant) else { throw .alreadyExists("该账号已拥有此角色") }
            return [.roleGranted(change)]
        }
        guard account.roles.contains(grant) else { throw .notFound("该账号没有此角色") }
        return [.roleRevoked(change)]
    }

    /// A scope is `school`, a department id, or (for seal keepers) a seal id.
    private func requireValidScope(_ grant: RoleGrant) throws(Rejection) {
        let scope = grant.scope
        let valid: Bool
        switch grant.role {
        case .deptHead, .schoolLeader: valid = state.departments[scope] != nil
        case .sealKeeper: valid = scope == RoleGrant.schoolScope || state.seals[scope] != nil
        case .applicant: valid = scope == RoleGrant.schoolScope || state.departments[scope] != nil
        case .officeReviewer, .legalReviewer, .financeReviewer, .president, .auditor, .admin:
            valid = scope == RoleGrant.schoolScope
        }
        guard valid else { throw .field("roles", "角色 \(grant.role.rawValue) 的范围 \(scope) 无效") }
    }

    func registerExistingSeal(
        id: String, name: String, category: SealCategory, departmentId: String, custodian: String
    ) throws(Rejection) -> [DomainEvent] {
        try requireAdmin()
        try requireIdentifier(id, field: "id")
        try requireText(name, field: "name", name: "印章名称")
        guard state.seals[id] == nil else { throw .alreadyExists("印章 \(id) 已存在") }
        guard state.departments[departmentId] != nil else { throw .field("departmentId", "部门 \(departmentId) 不存在") }
        guard state.accounts[custodian] != nil else { throw .field("custodian", "保管人账号 \(custodian) 不存在") }
        return [
            .sealRegistered(
                SealRegistered(
                    seal: id, name: name, category: category, departmentId: departmentId, status: .active,
                    custodian: custodian, applicationId: nil))
        ]
    }

    func publish(_ item: CatalogItem) throws(Rejection) -> [DomainEvent] {
        try requireAdmin()
        try requireIdentifier(item.id, field: "id")
        try requireText(item.name, field: "name", name: "事项名称")
        try requireText(item.theme, field: "theme", name: "服务主题")
        guard state.items[item.id] == nil else { throw .alreadyExists("事项 \(item.id) 已存在") }
        guard state.departments[item.departmentId] != nil else {
            throw .field("departmentId", "部门 \(item.departmentId) 不存在")
        }
        var published = item
        published.withdrawn = false
        published.visits = 0
        return [.itemPublished(ItemPublished(item: published))]
    }

    func edit(_ edit: ItemEdited) throws(Rejection) -> [DomainEvent] {
        try requireAdmin()
        _ = try liveItem(edit.id)
        if let name = edit.name { try requireText(name, field: "name", name: "事项名称") }
        if let theme = edit.theme { try requireText(theme, field: "theme", name: "服务主题") }
        if let department = edit.departmentId, state.departments[department] == nil {
            throw .field("departmentId", "部门 \(department) 不存在")
        }
        return [.itemEdited(edit)]
    }

    func setOnline(_ id: String, online: Bool) throws(Rejection) -> [DomainEvent] {
        try requireAdmin()
        let item = try liveItem(id)
        guard item.online != online else { throw .invalidTransition(online ? "事项已可在线办理" : "事项已是线下办理") }
        return [.itemOnlineChanged(ItemOnlineChanged(id: id, online: online))]
    }

    func withdraw(item id: String) throws(Rejection) -> [DomainEvent] {
        try requireAdmin()
        _ = try liveItem(id)
        return [.itemWithdrawn(ItemRef(id: id))]
    }

    /// The events of `edit` (when it changes a field), of going on- or offline (when `online` differs from the
    /// item's), and of the withdrawal, all decided against the same state: either all are recorded or none.
    func change(_ edit: ItemEdited, online: Bool?, withdraw: Bool) throws(Rejection) -> [DomainEvent] {
        try requireAdmin()
        let item = try liveItem(edit.id)
        var events = [DomainEvent]()
        if edit.changesAField { events += try self.edit(edit) }
        if let online, online != item.online { events += try setOnline(edit.id, online: online) }
        if withdraw { events += try self.withdraw(item: edit.id) }
        return events
    }

    func visit(_ id: String) throws(Rejection) -> [DomainEvent] {
        _ = try liveItem(id)
        return [.itemVisited(ItemRef(id: id))]
    }

    private func liveItem(_ id: String) throws(Rejection) -> CatalogItem {
        guard let item = state.items[id], !item.withdrawn else { throw .notFound("事项 \(id) 不存在") }
        return item
    }

    func activate(_ id: String) throws(Rejection) -> [DomainEvent] {
        let account = try account(id)
        guard actor == id || isAdmin else { throw .forbidden("只能激活本人账号") }
        guard !account.isActivated else { throw .invalidTransition("账号已激活") }
        return [.accountActivated(AccountRef(account: id))]
    }

    func changePassword(_ id: String) throws(Rejection) -> [DomainEvent] {
        let account = try account(id)
        guard actor == id else { throw .forbidden("只能修改本人密码") }
        guard account.isActivated else { throw .invalidTransition("账号尚未激活") }
        return [.passwordChanged(AccountRef(account: id))]
    }
}
