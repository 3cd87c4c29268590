import Events
import Foundation
import Logging
import Projections
import ServiceLifecycle
import Synchronization

/// Everything a running hall holds open: the log, the read models, the single serial decider, sessions and the
/// login throttle. As a service it brings stale read models up to date while the hall serves, and closes the
/// store when the service group shuts down — after the HTTP server, which stops first.
public final class HallStore: Service, Sendable {
    public let log: EventLog
    public let engine: ProjectionEngine
    public let processor: CommandProcessor
    let sessions: SessionStore
    let throttle: LoginThrottle
    let hasher: PasswordHasher
    let clock: @Sendable () -> Date
    let logger: Logger
    /// The furthest log position a command was answered at without waiting for the read models; every read waits
    /// for them to reach it (`readModelsCaughtUp`).
    private let furthestAnsweredAhead = Atomic<UInt64>(0)

    /// Opens (creating when absent) the store in `directory`.
    public static func open(
        directory: String, hasher: PasswordHasher = .standard, clock: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "seal-hall")
    ) async throws -> HallStore {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let abandoned = AbandonedWrites.remove(in: directory)
        if !abandoned.isEmpty { logger.notice("removed writes a crash left", metadata: ["paths": "\(abandoned)"]) }
        let log = try EventLog(directory: directory, options: LogOptions(upcasters: EventCodec.upcasters, clock: clock))
        do {
            for table in SecretTables.all { try await log.createTable(table) }
            let engine = try await ProjectionEngine(log: log, projections: ReadModels.all)
            do {
                let processor = try await CommandProcessor.open(log: log, observer: engine)
                return HallStore(log: log, engine: engine, processor: processor, hasher: hasher, clock: clock, logger: logger)
            } catch {
                await engine.close()
                throw error
            }
        } catch {
            await log.close()
            throw error
        }
    }

    private init(
        log: EventLog, engine: ProjectionEngine, processor: CommandProcessor, hasher: PasswordHasher,
        clock: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.log = log
        self.engine = engine
        self.processor = processor
        self.sessions = SessionStore(log: log, clock: clock)
        self.throttle = LoginThrottle(clock: clock)
        self.hasher = hasher
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        try await engine.rebuildStale { [logger] name, done, total in
            if done == total { logger.info("read model rebuilt", metadata: ["name": "\(name)", "entries": "\(total)"]) }
        }
        await sweepSessionsUntilShutdown()
        await close()
    }

    /// How often expired sessions are deleted.
    static let sessionSweepInterval = Duration.seconds(600)

    /// Deletes expired sessions now and then every `sessionSweepInterval`, until the service group shuts down.
    private func sweepSessionsUntilShutdown() async {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let swept = try await sessions.sweepExpired()
                if swept > 0 { logger.info("expired sessions deleted", metadata: ["count": "\(swept)"]) }
            } catch {
                logger.warning("sweeping expired sessions failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.sessionSweepInterval) }
        }
    }

    /// Finishes queued commands and closes the store and its read models.
    public func close() async {
        await log.close()
        await engine.close()
    }

    /// The account `id` as the decider knows it now.
    func account(_ id: String) -> Account? {
        processor.withState { $0.accounts[id] }
    }

    /// Runs `command` for `actor`; the answer comes after the commit is durable and, unless `answeredAhead` is
    /// true, after the read models reflect it. Commands answered ahead of the read models (an application's,
    /// whose answer comes from the decider) make every later read wait for them instead (`readModelsCaughtUp`),
    /// so a read after any answer still sees the command, and a command's answer no longer waits for a second
    /// writer.
    func execute(
        _ command: Command, actor: String, idempotencyKey: String? = nil, answeredAhead: Bool = false,
        alongside: (@Sendable (inout LogWriteSession) throws -> Void)? = nil
    ) async throws -> CommandResult {
        let result = try await processor.execute(
            command, actor: actor, idempotencyKey: idempotencyKey, waitingForObserver: !answeredAhead,
            alongside: alongside)
        if answeredAhead, let last = result.positions?.upperBound {
            furthestAnsweredAhead.max(last, ordering: .releasing)
        }
        return result
    }

    /// Returns once the read models reflect every command answered ahead of them so far: at once, without
    /// suspending, when they do.
    func readModelsCaughtUp() async throws {
        let position = furthestAnsweredAhead.load(ordering: .acquiring)
        guard !engine.reflects(position) else { return }
        try await engine.committed(through: position)
    }
}
