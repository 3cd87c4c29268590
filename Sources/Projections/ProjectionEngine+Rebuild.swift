import Events
import Foundation

extension ProjectionEngine {
    /// How many rows one writer unit writes when the in-memory rows are stored.
    static let storeChunk = 50_000

    /// Rebuilds every projection whose served rows are of another version; returns their names.
    @discardableResult
    public func rebuildStale(progress: @escaping @Sendable (String, UInt64, UInt64) -> Void = { _, _, _ in }) async throws
        -> [String]
    {
        let names = try stale
        if !names.isEmpty {
            try await rebuild(names) { progress(names.joined(separator: ","), $0, $1) }
        }
        return names
    }

    /// Rebuilds `name`; see `rebuild(_:progress:)` for many.
    @discardableResult
    public func rebuild(_ name: String, progress: @escaping @Sendable (UInt64, UInt64) -> Void = { _, _ in })
        async throws -> RebuildTimings
    {
        try await rebuild([name], progress: progress)
    }

    /// Rebuilds the projections `names` from the whole log, beside the rows being served, in one pass over the log:
    ///
    /// 1. up to the head as it stands when the rebuild starts, every event is applied to rows held in memory as
    ///    typed values (no LMDB, no encoding per event), on two threads of their own (`RebuildPass`), while
    ///    commands go on;
    /// 2. the rows are encoded once, sorted (`RebuildPacking`), and appended to each projection's other table
    ///    (`MDB_APPEND`), a chunk per unit of the read models' writer;
    /// 3. the events the log committed meanwhile are applied through that writer, a chunk per unit, and in the
    ///    unit that finds no more the registry switches to the new table and the old one is emptied.
    ///
    /// Reads never see half-built rows, and no event is missed or applied twice. `progress` hears (done, total).
    /// Returns how long each step took.
    @discardableResult
    public func rebuild(_ names: [String], progress: @escaping @Sendable (UInt64, UInt64) -> Void = { _, _ in })
        async throws -> RebuildTimings
    {
        let clock = ContinuousClock()
        var timings = RebuildTimings()
        let targets = try names.map { name -> Target in
            guard let projection = projections.first(where: { $0.name == name }) else { throw ProjectionError.unknown(name) }
            let served = try served(name)
            let slot = served?.slot == "a" ? "b" : "a"
            let footprint = try served.map { served in
                try tables.readTables { try $0.footprint(Self.table(name, served.slot)) }
            }
            return Target(
                projection: projection, slot: slot, table: Self.table(name, slot),
                expectedRows: footprint?.entries ?? 0, expectedBytes: footprint?.bytes ?? 0)
        }
        try rebuilds.withLock { running in
            if let busy = names.first(where: { running[$0] != nil }) { throw ProjectionError.alreadyRebuilding(busy) }
            for name in names { running[name] = (0, log.head.position) }
        }
        defer { rebuilds.withLock { running in for name in names { running[name] = nil } } }
        let report = { @Sendable [self] (done: UInt64, total: UInt64) in
            rebuilds.withLock { running in for name in names { running[name] = (done, total) } }
            progress(done, total)
        }
        try await tables.transact { session in
            for target in targets { try session.clearTable(target.table) }
        }
        let through = log.head.position
        var started = clock.now
        let memory = try await Self.offloaded { [log] in
            try Self.applyInMemory(targets, log: log, through: through, report: report)
        }
        timings.pass = clock.now - started
        started = clock.now
        // Each model's rows are stored as soon as they are packed, while the others still pack on both cores:
        // storing keeps one core busy, and storing only once all were packed left the other one idle.
        for try await (index, rows) in RebuildPacking.packed(memory, sizes: targets.map(\.expectedBytes)) {
            try await store(rows, into: targets[index].table)
        }
        timings.storing = clock.now - started
        started = clock.now
        try await catchUp(targets, from: through + 1, report: report)
        timings.catchingUp = clock.now - started
        return timings
    }

    /// Appends `rows`, in key order, to the empty table `table`, a chunk per unit of the read models' writer.
    private func store(_ rows: PackedRows, into table: String) async throws {
        for chunk in stride(from: 0, to: rows.count, by: Self.storeChunk) {
            let part = chunk..<min(chunk + Self.storeChunk, rows.count)
            try await tables.transact { session in try session.appendTableRows(table, rows, part) }
        }
    }

    /// How long a rebuild's steps took.
    public struct RebuildTimings: Sendable {
        /// Applying the log, as it stood at the start, to rows in memory.
        public var pass = Duration.zero
        /// Packing the rows and storing them in the new tables.
        public var storing = Duration.zero
        /// Applying what the log committed meanwhile, and swapping the new tables in.
        public var catchingUp = Duration.zero
    }

    /// A projection being rebuilt, and the table it is rebuilt into.
    struct Target: Sendable {
        var projection: any Projection
        var slot: String
        var table: String
        /// About how many rows it will have: as many as the rows served now.
        var expectedRows: Int
        /// About how many bytes its keys and values will take: fewer than the served table's pages take.
        var expectedBytes: Int
    }

    /// Applies entries 1…`through` to in-memory rows, one set per target, on both cores (`RebuildPass`); returns
    /// each target's rows.
    private static func applyInMemory(
        _ targets: [Target], log: EventLog, through: UInt64, report: @escaping @Sendable (UInt64, UInt64) -> Void
    ) throws -> [MemoryRows] {
        let memory = targets.map { MemoryRows(rows: $0.expectedRows, bytes: $0.expectedBytes) }
        let pass = RebuildPass(log: log, through: through, models: targets.map(\.projection), memory: memory, report: report)
        try pass.run()
        return memory
    }

    /// Applies the entries from `position` on through the read models' writer, a chunk per unit, and swaps the
    /// targets in, at the position they reflect, in the unit that finds no more committed entries.
    private func catchUp(_ targets: [Target], from position: UInt64, report: @escaping @Sendable (UInt64, UInt64) -> Void)
        async throws
    {
        var next = position
        while true {
            let (reached, swapped) = try await tables.transact { [log, next, targets] session in
                let events = try Self.committedEvents(in: log, from: next, limit: Self.catchUpChunk)
                for target in targets { try Self.apply(events, of: target.projection, to: target.table, in: &session) }
                let reached = events.last?.position ?? next - 1
                guard events.count < Self.catchUpChunk else { return (reached, false) }
                for target in targets {
                    let old = try session.row(Served.self, table: Self.registry, key: RowKey(target.projection.name))
                    let swapped = Served(version: target.projection.version, slot: target.slot, position: reached)
                    try session.setRow(swapped, table: Self.registry, key: RowKey(target.projection.name))
                    if let old, old.slot != target.slot { try session.clearTable(Self.table(target.projection.name, old.slot)) }
                }
                return (reached, true)
            }
            next = reached + 1
            report(reached, max(log.head.position, reached))
            if swapped { return }
        }
    }

    /// Runs `work` on a thread of its own, so that a long pass over the log holds neither a thread of the
    /// concurrency pool nor one of Dispatch's global queue (which has one per core, and runs tasks too).
    private static func offloaded<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.start(named: "rebuild-pass") { continuation.resume(with: Result(catching: work)) }
        }
    }
}

extension ProjectionEngine.RebuildTimings: CustomStringConvertible {
    /// `pass 1.52 s, storing 0.41 s, catching up 0.01 s`.
    public var description: String {
        func seconds(_ duration: Duration) -> String {
            let (whole, attoseconds) = duration.components
            return String(format: "%.2f s", Double(whole) + Double(attoseconds) / 1e18)
        }
        return "pass \(seconds(pass)), storing \(seconds(storing)), catching up \(seconds(catchingUp))"
    }
}
