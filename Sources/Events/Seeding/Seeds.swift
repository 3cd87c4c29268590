import Foundation

/// The bootstrap data of `seeds/`: departments, demo accounts, seals in use and the catalog, read from JSON.
///
/// Seeds enter the hall as ordinary commands (`commands`), so the log records them like everything else:
/// registrations by the `system` actor, and each account's activation by the account itself.
public struct Seeds: Sendable {
    public struct DepartmentSeed: Codable, Sendable {
        public var id: String
        public var name: String
    }

    public struct AccountSeed: Codable, Sendable {
        public var account: String
        public var name: String
        public var department: String
        public var kind: AccountKind
        public var roles: [RoleGrant]
    }

    public struct SealSeed: Codable, Sendable {
        public var id: String
        public var name: String
        public var category: SealCategory
        public var department: String
        public var custodian: String
    }

    public struct ItemSeed: Codable, Sendable {
        public var id: String
        public var name: String
        public var department: String
        public var theme: String
        public var audience: Audience
        public var online: Bool
        public var kind: ApplicationKind?
        public var guide: ItemGuide?
    }

    public var departments: [DepartmentSeed]
    public var accounts: [AccountSeed]
    public var seals: [SealSeed]
    public var items: [ItemSeed]

    /// Reads `departments.json`, `accounts.json`, `seals.json` and `catalog.json` from `directory`.
    public init(directory: String) throws {
        func read<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(name)
            do {
                return try JSONDecoder().decode(type, from: try Data(contentsOf: url))
            } catch {
                throw SeedError.unreadable(file: url.path, reason: "\(error)")
            }
        }
        departments = try read("departments.json", as: [DepartmentSeed].self)
        accounts = try read("accounts.json", as: [AccountSeed].self)
        seals = try read("seals.json", as: [SealSeed].self)
        items = try read("catalog.json", as: [ItemSeed].self)
    }

    /// The commands that load the seeds, each with its actor, in an order that satisfies every reference.
    public var commands: [(command: Command, actor: String)] {
        let system = CommandContext.systemActor
        var commands: [(Command, String)] = departments.map { (.createDepartment(id: $0.id, name: $0.name), system) }
        for account in accounts {
            commands.append(
                (.registerAccount(
                    account: account.account, name: account.name, departmentId: account.department, kind: account.kind,
                    roles: account.roles), system))
            commands.append((.activateAccount(account: account.account), account.account))
        }
        commands += seals.map { seal in
            (.registerExistingSeal(
                id: seal.id, name: seal.name, category: seal.category, departmentId: seal.department,
                custodian: seal.custodian), system)
        }
        commands += items.map { item in
            let guide = item.guide ?? Self.defaultGuide(for: item.audience)
            let published = CatalogItem(
                id: item.id, name: item.name, departmentId: item.department, theme: item.theme,
                audience: item.audience, online: item.online, guide: guide, kind: item.kind, withdrawn: false, visits: 0)
            return (.publishItem(published), system)
        }
        return commands
    }

    /// The guide of an item whose seed names none: it points to the responsible department.
    static func defaultGuide(for audience: Audience) -> ItemGuide {
        ItemGuide(
            audience: audience == .teacher ? "学校在职教职工" : "在校学生", process: "请按责任部门通知办理",
            materials: "详见责任部门通知", timeLimit: "以责任部门规定为准", phone: "请咨询责任部门")
    }
}

/// Why the seeds could not be read or loaded.
public enum SeedError: Error, CustomStringConvertible {
    case unreadable(file: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "cannot read \(file): \(reason)"
        }
    }
}

extension CommandProcessor {
    /// Loads `seeds` through the ordinary commands; returns how many recorded something new.
    ///
    /// Each command carries the idempotency key `seed-N`, so loading the same seeds again records nothing.
    @discardableResult
    public func load(_ seeds: Seeds) async throws -> Int {
        var recorded = 0
        for (index, (command, actor)) in seeds.commands.enumerated() {
            let result = try await execute(command, actor: actor, idempotencyKey: "seed-\(index)", commandId: "seed-\(index)")
            recorded += result.isDuplicate ? 0 : 1
        }
        return recorded
    }
}
