import Events
import Foundation
import Synchronization

/// A signed-in session as a request carries it.
public struct SessionGrant: Sendable, Equatable {
    public var account: String
    /// Whether the token came in the `sid` cookie: then commands need the CSRF header too.
    public var viaCookie: Bool
}

/// Sessions: random 256-bit tokens, stored only as their SHA-256 in `secret:sessions` (so a copied store holds
/// no usable token), each with its CSRF token's digest and an expiry. Lookups are served from memory; the table
/// is the truth after a restart.
public final class SessionStore: Sendable {
    /// What is stored of a session.
    struct Record: Codable, Sendable {
        var account: String
        var csrfDigest: String
        var expiresAt: Date
    }

    /// A session just opened: the two secrets, shown to the client once.
    struct Opened: Sendable {
        var token: String
        var csrfToken: String
        var expiresAt: Date
    }

    static let lifetime: TimeInterval = 12 * 3600

    private let log: EventLog
    private let clock: @Sendable () -> Date
    private let cache = Mutex(Cache())

    /// The sessions in memory, by token digest, and how many sessions have been closed: a record read from the
    /// table goes into memory only if none was closed meanwhile, so a logout racing the first request after a
    /// restart cannot be undone by that request's late insert.
    private struct Cache {
        var records: [String: Record] = [:]
        var closings = 0
    }

    init(log: EventLog, clock: @escaping @Sendable () -> Date) {
        self.log = log
        self.clock = clock
    }

    /// Opens a session for `account`; returns once it is durable.
    func open(for account: String) async throws -> Opened {
        let opened = Opened(
            token: SecretTables.randomToken(), csrfToken: SecretTables.randomToken(),
            expiresAt: clock().addingTimeInterval(Self.lifetime))
        let digest = SecretTables.digest(opened.token)
        let record = Record(
            account: account, csrfDigest: SecretTables.digest(opened.csrfToken), expiresAt: opened.expiresAt)
        let stored = try BinaryEncoder().encode(record)
        try await log.transact { session in
            try session.setTableValue(SecretTables.sessions, key: SecretTables.key(digest), value: stored)
        }
        cache.withLock { $0.records[digest] = record }
        return opened
    }

    /// Ends the session of `token`; returns once that is durable.
    func close(token: String) async throws {
        let digest = SecretTables.digest(token)
        try await log.transact { session in
            try session.setTableValue(SecretTables.sessions, key: SecretTables.key(digest), value: nil)
        }
        cache.withLock { cache in
            cache.records[digest] = nil
            cache.closings += 1
        }
    }

    /// The live session of `token`, or nil when unknown or expired.
    func record(for token: String) throws -> Record? {
        guard token.utf8.count <= 128 else { return nil }
        let digest = SecretTables.digest(token)
        let (cached, closings) = cache.withLock { ($0.records[digest], $0.closings) }
        if let cached { return cached.expiresAt > clock() ? cached : nil }
        let stored = try log.readTables { reader in
            try reader.value(SecretTables.sessions, key: SecretTables.key(digest))
                .map { try BinaryDecoder().decode(Record.self, from: $0) }
        }
        guard let stored, stored.expiresAt > clock() else { return nil }
        cache.withLock { cache in
            if cache.closings == closings { cache.records[digest] = stored }
        }
        return stored
    }

    /// Deletes every expired session, from the table and from memory; returns how many it deleted.
    @discardableResult
    func sweepExpired() async throws -> Int {
        let now = clock()
        var expired = [[UInt8]]()
        try log.readTables { reader in
            try reader.forEach(SecretTables.sessions) { key, value in
                if try BinaryDecoder().decode(Record.self, from: value).expiresAt <= now { expired.append(key) }
                return true
            }
        }
        cache.withLock { cache in cache.records = cache.records.filter { $0.value.expiresAt > now } }
        guard !expired.isEmpty else { return 0 }
        try await log.transact { [expired] session in
            for key in expired { try session.setTableValue(SecretTables.sessions, key: key, value: nil) }
        }
        return expired.count
    }

    /// Whether `csrfToken` is the one of `record`'s session.
    func accepts(csrfToken: String?, for record: Record) -> Bool {
        guard let csrfToken else { return false }
        return SecretTables.digest(csrfToken) == record.csrfDigest
    }
}
