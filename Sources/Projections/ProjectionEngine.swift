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

/// Runs a set of projections over one log: applies each command's events to the served rows inside the writer's
/// unit (as the processor's observer), and rebuilds a projection from the log beside its served rows, swapping
/// the new rows in within the writer's unit that catches up with the head, so that reads never see half-built
/// rows and no event is missed or applied twice. Rebuilding reads only the log: it re-runs no side effect.
///
/// Each projection has two tables, `<name>/a` and `<name>/b`; the registry table `projections` names the one
/// served and its version.
public final class ProjectionEngine: CommandObserver {
    public let log: EventLog
    public let projections: [any Projection]
    let rebuilds = Mutex<[String: (done: UInt64, total: UInt64)]>([:])

    static let registry = "projections"

    /// The served table and version of one projection, as the registry stores it.
    struct Served: Codable, Equatable {
        var version: Int
        var slot: String
        var position: UInt64
    }

    /// Opens (creating when absent) every projection's tables. Projections that have never been built are
    /// built at once; those stored at another version keep being served until `rebuildStale` replaces them.
    public init(log: EventLog, projections: [any Projection]) async throws {
        precondition(Set(projections.map(\.name)).count == projections.count, "projection names must be unique")
        self.log = log
        self.projections = projections
        try await log.createTable(Self.registry)
        for projection in projections {
            for slot in ["a", "b"] {
                try await log.createTable(Self.table(projection.name, slot))
            }
            if try served(projection.name) == nil {
                try await rebuild(projection.name)
            }
        }
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
        try log.readTables { reader in
            guard let served = try reader.row(Served.self, table: Self.registry, key: name) else {
                throw ProjectionError.notBuilt(name)
            }
            return try body(reader, Self.table(name, served.slot))
        }
    }

    // MARK: Incremental

    public func record(_ events: [RecordedEvent], in session: inout LogWriteSession) throws {
        guard !events.isEmpty else { return }
        for (projection, table) in zip(projections, try keptTables(in: &session)) {
            guard let table else { continue }
            try TableRows.with(&session, table: table) { rows in
                for event in events {
                    try projection.apply(event, to: &rows)
                }
            }
        }
        // The position each read model reflects is written once per batch, not once per command: it was nearly
        // half of the rows a command wrote.
        session.atBatchEnd(Self.registry) { [self] session in try recordPositions(in: &session) }
    }

    /// The served table of each projection (in `projections`' order) when it is of the code's version, and so
    /// kept up to date by commands; nil for one stored at another version. Read from the registry once per batch.
    private func keptTables(in session: inout LogWriteSession) throws -> [String?] {
        try session.derived(from: Self.registry) { [projections] session in
            try projections.map { projection in
                guard let served = try session.row(Served.self, table: Self.registry, key: projection.name),
                    served.version == projection.version
                else { return nil }
                return Self.table(projection.name, served.slot)
            }
        }
    }

    /// Sets the position of every read model kept up to date (of the code's version) to the head.
    private func recordPositions(in session: inout LogWriteSession) throws {
        for projection in projections {
            guard var served = try session.row(Served.self, table: Self.registry, key: projection.name),
                served.version == projection.version
            else { continue }
            served.position = session.headPosition
            try session.setRow(served, table: Self.registry, key: projection.name)
        }
    }

    // MARK: Rebuilding

    func served(_ name: String) throws -> Served? {
        try log.readTables { try $0.row(Served.self, table: Self.registry, key: name) }
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
    /// A row was read as another type than it was written with: a bug in the projection.
    case rowType(key: String)
}
