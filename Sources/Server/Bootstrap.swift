import Events
import Foundation

/// What a new store is given before it serves: the `admin` account, and unless asked not to, the seeds with a
/// demo password for each seeded account.
public struct Bootstrap: Sendable {
    /// The administrator's password; generated when nil.
    public var adminPassword: String?
    /// The `seeds/` directory to load; nil for an empty hall (`--no-seed`).
    public var seedsDirectory: String?
    /// The password every seeded account gets.
    public var demoPassword: String

    public static let adminAccount = "admin"

    public init(adminPassword: String?, seedsDirectory: String?, demoPassword: String = "sealhall-demo") {
        self.adminPassword = adminPassword
        self.seedsDirectory = seedsDirectory
        self.demoPassword = demoPassword
    }

    /// What a bootstrap did, for the operator.
    public struct Report: Sendable {
        /// The admin password when it was generated (print it once), nil when it was given or the store was not new.
        public var generatedAdminPassword: String?
        /// The seeded accounts that can log in with the demo password: (account, name, roles).
        public var demoAccounts: [(account: String, name: String, roles: String)]
        public var wasNew: Bool
    }

    /// Bootstraps `store` when it is new (its log is empty); on a store that has history it changes nothing.
    public func run(on store: HallStore) async throws -> Report {
        guard store.log.head.position == 0 else {
            return Report(generatedAdminPassword: nil, demoAccounts: demoAccounts(in: store), wasNew: false)
        }
        let password = adminPassword ?? SecretTables.randomToken(byteCount: 12)
        let adminHash = try await store.hasher.hash(password)
        _ = try await store.execute(
            .registerAccount(
                account: Self.adminAccount, name: "系统管理员", departmentId: RoleGrant.schoolScope, kind: .staff,
                roles: [RoleGrant(role: .admin, scope: RoleGrant.schoolScope)]),
            actor: CommandContext.systemActor, idempotencyKey: "bootstrap-admin")
        _ = try await store.execute(
            .activateAccount(account: Self.adminAccount), actor: Self.adminAccount,
            idempotencyKey: "bootstrap-admin-activation",
            alongside: { session in try session.setPasswordHash(adminHash, of: Self.adminAccount) })
        if let seedsDirectory {
            let seeds = try Seeds(directory: seedsDirectory)
            try await store.processor.load(seeds)
            let demoHash = try await store.hasher.hash(demoPassword)
            let accounts = seeds.accounts.map(\.account)
            try await store.log.transact { session in
                for account in accounts { try session.setPasswordHash(demoHash, of: account) }
            }
        }
        return Report(
            generatedAdminPassword: adminPassword == nil ? password : nil, demoAccounts: demoAccounts(in: store),
            wasNew: true)
    }

    private func demoAccounts(in store: HallStore) -> [(account: String, name: String, roles: String)] {
        store.processor.withState { state in
            state.accounts.values.filter { $0.id != Self.adminAccount }.sorted { $0.id < $1.id }.map { account in
                (account.id, account.name, account.roles.map { "\($0.role.rawValue)@\($0.scope)" }.joined(separator: " "))
            }
        }
    }
}
