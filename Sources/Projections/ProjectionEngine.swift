import Events
import Foundation
import Synchronization

/// Where a projection stands: the version and table being served, and a rebuild under way.
public struct ProjectionStatus: Sendable, Equatable {
    public var name: String
    /// The version of the rows being served; it differs from the code's until a rebuild swaps the new rows in.
    public var version: Int
    /// The log position the served rows reflect.
    public var position: UInt64
    /// `live`, or `rebuilding` while new rows are built beside the served ones.
    public var status: String
    /// The entries a running rebuild has applied, and the log's head when it last looked.
    public var rebuild: (done: UInt64, total: UInt64)?

    public static func == (lhs: ProjectionStatus, rhs: ProjectionStatus) -> Bool {
        lhs.name == rhs.name && lhs.version == rhs.version && lhs.position == rhs.position && lhs.status == rhs.status
            && lhs.rebuild?.done == rhs.rebuild?.done && lhs.rebuild?.total == rhs.rebuild?.total
    }
}

/// Runs a set of projections over one log: keeps each projection's served rows up to date with the log's committed
/// entries, and rebuilds a projection from the log beside its served rows, swapping the new rows in within the
/// unit that catches up with the log, so that reads never see half-built rows and no event is missed or applied
/// twice. Rebuilding reads only the log: it re-runs no side effect.
///
/// The rows live in a store of their own (`ReadModelStore`), written by its own writer thread, in rounds: one per
/// batch of the log, applying the events the decider staged while the log commits them (`staged(_:committing:)`),
/// and catch-up rounds that read the log for events no round was given. A command's answer waits for
/// `whenCommitted(through:then:)`, so a read after the answer sees the command. Each projection has two tables there,
/// `<name>/a` and `<name>/b`; the registry table `projections` names the one served, its version and the log
/// position it reflects.
public final class ProjectionEngine: CommandObserver {
    public let log: EventLog
    public let projections: [any Projection]
    /// The read models' own store.
    let tables: EventLog
    let rebuilds = Mutex<[String: (done: UInt64, total: UInt64)]>([:])
    /// How far the kept read models have come, the rounds queued to bring them further, and the commands waiting.
    private let progress = ReadModelProgress()

    static let registry = "projections"
    /// How many entries one unit applies, so that a long catch-up (after a crash) lets reads and commands through.
    static let catchUpChunk = 2048

    /// The served table and version of one projection, as the registry stores it.
    struct Served: Codable, Equatable {
        var version: Int
        var slot: String
        var position: UInt64
    }

    /// Opens (creating when absent) every projection's tables and brings them up to the log's head. Projections
    /// that have never been built are built at once, together in one pass over the log; those stored at another
    /// version keep being served until `rebuildStale` replaces them.
    public init(log: EventLog, projections: [any Projection]) async throws {
        precondition(Set(projections.map(\.name)).count == projections.count, "projection names must be unique")
        self.log = log
        self.projections = projections
        self.tables = try ReadModelStore.open(besides: log)
        do {
            // Stores written before the read models had a store of their own kept them in the log's.
            try await log.dropTables([Self.registry] + projections.flatMap { [Self.table($0.name, "a"), Self.table($0.name, "b")] })
            try await tables.createTable(Self.registry)
            for projection in projections {
                for slot in ["a", "b"] {
                    try await tables.createTable(Self.table(projection.name, slot))
                }
            }
            // All in one pass over the log: built one by one, a store without read models took a pass for each.
            let neverBuilt = try projections.filter { try served($0.name) == nil }.map(\.name)
            if !neverBuilt.isEmpty { try await rebuild(neverBuilt) }
            try await committed(through: log.head.position)
        } catch {
            await ReadModelStore.close(tables)
            throw error
        }
    }

    /// Syncs and closes the read models' store.
    public func close() async {
        await ReadModelStore.close(tables)
    }

    /// The projections whose served rows are of another version than the code's.
    public var stale: [String] {
        get throws {
            try projections.filter { try served($0.name)?.version != $0.version }.map(\.name)
        }
    }

    /// Every projection's status, for operators and the admin API.
    public func statuses() throws -> [ProjectionStatus] {
        let running = rebuilds.withLock { $0 }
        return try projections.map { projection in
            let served = try served(projection.name)
            let rebuild = running[projection.name]
            return ProjectionStatus(
                name: projection.name, version: served?.version ?? 0, position: served?.position ?? 0,
                status: rebuild == nil ? "live" : "rebuilding", rebuild: rebuild)
        }
    }

    /// Runs `body` with the table of `name` that is being served and a consistent snapshot of the tables.
    public func read<R>(_ name: String, _ body: (TableReader, String) throws -> R) throws -> R {
        try read(name) { reader, table, _ in try body(reader, table) }
    }

    /// Runs `body` with the table of `name` that is being served, a consistent snapshot of the tables, and the
    /// log position the served rows reflect.
    public func read<R>(_ name: String, _ body: (TableReader, String, UInt64) throws -> R) throws -> R {
        try tables.readTables { reader in
            guard let served = try reader.row(Served.self, table: Self.registry, key: name) else {
                throw ProjectionError.notBuilt(name)
            }
            return try body(reader, Self.table(name, served.slot), served.position)
        }
    }

    // MARK: Incremental

    /// Queues a round that applies a batch's `events` while the log commits them, and commits the read models'
    /// unit only once `commit` says the log's did; so the commands of the batch, once durable, find their events
    /// applied or nearly so. Called on the log's writer thread: rounds run in the order of the log's batches.
    public func staged(_ events: [RecordedEvent], committing commit: BatchCommit) {
        guard let last = events.last?.position else { return }
        queueRound(progress.queued(through: last), through: last, handed: events, commit: commit)
    }

    /// Whether every read model kept up to date reflects the log through `position` now.
    public func reflects(_ position: UInt64) -> Bool {
        progress.reflects(position)
    }

    /// How many are waiting for the read models to reach their position.
    var waitingCount: Int { progress.waitingCount }

    /// Calls `then` once every read model kept up to date reflects the log through `position` (committed),
    /// queueing a round that reads the log when none queued covers it (events recorded without being staged).
    public func whenCommitted(through position: UInt64, then: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        progress.whenVisible(position, head: { log.head.position }, queue: { id, through in
            queueRound(id, through: through, handed: [], commit: nil)
        }, then: then)
    }

    /// Queues round `id` on the read models' writer: one unit that brings them to `through` (a chunk at most),
    /// from `handed` and, for what precedes them, the log. Its end resumes the commands it brought in.
    private func queueRound(_ id: UInt64, through: UInt64, handed: [RecordedEvent], commit: BatchCommit?) {
        tables.enqueue { [self] session in
            try applyCommitted(through: through, handed: handed, commit: commit, in: &session)
        } then: { [self] outcome in
            if let next = progress.ended(id, outcome, head: log.head.position) {
                queueRound(next.id, through: next.through, handed: [], commit: nil)
            }
        }
    }

    /// Applies the events after the kept read models' positions through `through` — `handed`, and from the log
    /// the committed ones before them, a chunk at most — and moves their positions; returns the position they
    /// all reflect then. Waits for `commit` before a unit that applies `handed` may commit, and fails it (the
    /// unit is discarded) when the log's batch failed.
    private func applyCommitted(
        through: UInt64, handed: [RecordedEvent], commit: BatchCommit?, in session: inout LogWriteSession
    ) throws -> UInt64 {
        var kept = [(projection: any Projection, table: String, served: Served)]()
        for projection in projections {
            guard let served = try session.row(Served.self, table: Self.registry, key: RowKey(projection.name)),
                served.version == projection.version
            else { continue }
            kept.append((projection, Self.table(projection.name, served.slot), served))
        }
        guard let from = kept.map(\.served.position).min() else {
            if let commit, !commit.wait() { throw ProjectionError.batchNotCommitted }
            return through
        }
        guard from < through else { return from }
        // The log's committed events come first: those before the handed ones, or all of them in a catch-up.
        let logEnd = handed.first.map { $0.position - 1 } ?? through
        var events = from < logEnd
            ? try Self.committedEvents(in: log, from: from + 1, limit: min(Self.catchUpChunk, Int(logEnd - from)))
            : []
        // Handed events follow only a run that reaches them, never across a gap.
        let usesHanded = from >= logEnd || events.last?.position == logEnd
        if usesHanded { events += handed.filter { $0.position > from } }
        guard let last = events.last?.position else { return from }
        for (projection, table, var served) in kept where served.position < last {
            try Self.apply(events.filter { $0.position > served.position }, of: projection, to: table, in: &session)
            served.position = last
            try session.setRow(served, table: Self.registry, key: RowKey(projection.name))
        }
        if usesHanded, let commit, !commit.wait() { throw ProjectionError.batchNotCommitted }
        return last
    }

    /// Up to `limit` of the log's committed entries from `position` on, as domain events.
    static func committedEvents(in log: EventLog, from position: UInt64, limit: Int) throws -> [RecordedEvent] {
        var decoders = EventCodec.DecoderCache()
        return try log.eventRecords(from: position, limit: limit) {
            try CommandProcessor.recorded(from: $0, decoders: &decoders)
        }
    }

    /// Applies `events` to `projection`'s rows in `table`.
    static func apply(
        _ events: [RecordedEvent], of projection: any Projection, to table: String, in session: inout LogWriteSession
    ) throws {
        try TableRows.with(&session, table: table) { rows in
            for event in events { try projection.apply(event, to: &rows) }
        }
    }

    // MARK: Rebuilding

    func served(_ name: String) throws -> Served? {
        try tables.readTables { try $0.row(Served.self, table: Self.registry, key: name) }
    }

    static func table(_ name: String, _ slot: String) -> String {
        "\(name)/\(slot)"
    }
}

/// Why a projection could not be read or rebuilt.
public enum ProjectionError: Error, Equatable {
    case unknown(String)
    /// A rebuild of it is running already.
    case alreadyRebuilding(String)
    case notBuilt(String)
    /// The log's batch whose events a round applied did not commit; the round's unit is dropped.
    case batchNotCommitted
    /// A row was read as another type than it was written with: a bug in the projection.
    case rowType(key: String)
}
