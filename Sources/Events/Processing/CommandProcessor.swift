import Foundation
import Synchronization

/// Hears of the commands' events: the read models keep up with the log there, so that a read after a command's
/// answer sees the command.
public protocol CommandObserver: Sendable {
    /// The events a batch's commands recorded, told on the log's writer thread before the batch commits, so that
    /// what derives from them is prepared while the log syncs; none of it may show unless `commit` says the batch
    /// is durable. It must not block.
    func staged(_ events: [RecordedEvent], committing commit: BatchCommit)
    /// Calls `then` once what the observer derives reflects the log through `position` (committed) — at once,
    /// on the caller's thread, when it already does; otherwise on the observer's own thread. It must not block.
    func whenCommitted(through position: UInt64, then: @escaping @Sendable (Result<Void, any Error>) -> Void)
}

extension CommandObserver {
    /// Returns once what the observer derives reflects the log through `position` (committed).
    public func committed(through position: UInt64) async throws {
        try await withCheckedThrowingContinuation { continuation in
            whenCommitted(through: position) { continuation.resume(with: $0) }
        }
    }
}

/// What a command did: its events as recorded, and the application it concerns as it stands afterwards.
public struct CommandResult: Sendable, Equatable {
    public var events: [RecordedEvent]
    public var positions: ClosedRange<UInt64>?
    /// True when the idempotency key had already been used for this very command: nothing new was recorded.
    public var isDuplicate: Bool
    public var application: Application?
    /// The application's standing after the command (taken inside the writer, so readers need not lock the state).
    public var standing: ApplicationStanding?
    public var letter: Letter?
}

/// The single serial decider: every command is decided against the current state inside the log's writer,
/// and its events appended in the same transaction, so rules that span subjects (a seal leaving `active`,
/// gapless letter serials, the first decision on a step) hold whatever arrives at once.
///
/// The state lives in memory, tied to the log position it reflects, and in a table beside the log
/// (`DeciderStateTable`) that a restart loads; memory keeps only what commands check across subjects, and reads
/// the rest (finished applications, letters) from the table when a command names it. Each unit of work checks
/// that its position is the session's head (reloading when it is not — after another process wrote, or after a
/// unit or batch failed), decides, appends, evolves the state in place with the events as stored, and writes the
/// rows they changed.
public final class CommandProcessor: Sendable {
    public let log: EventLog
    private let state: Mutex<HallState>
    private let observer: (any CommandObserver)?
    /// The events recorded so far in the batch being written, told to the observer when the batch ends; a batch
    /// that fails before its end leaves them to be dropped by the next one.
    private let batchEvents = Mutex<(commit: BatchCommit?, events: [RecordedEvent])>((nil, []))

    private init(log: EventLog, observer: (any CommandObserver)?, state: HallState) {
        self.log = log
        self.observer = observer
        self.state = Mutex(state)
    }

    /// Opens the decider on `log`; every command waits for `observer` to hear of its events before it is answered.
    ///
    /// The state comes from the table beside the log (`DeciderStateTable`) when it is of this version and
    /// reflects the head — without the finished applications and the letters, which stay in the table. Otherwise
    /// the log is replayed and the table written anew before the decider takes its first command.
    public static func open(log: EventLog, observer: (any CommandObserver)? = nil) async throws -> CommandProcessor {
        try await log.createTable(DeciderStateTable.name)
        if let state = try log.readTables({ try DeciderStateTable.load(from: $0) }) {
            return CommandProcessor(log: log, observer: observer, state: state)
        }
        let state = try await log.transact { session in try replayed(into: &session) }
        return CommandProcessor(log: log, observer: observer, state: state)
    }

    /// The state replayed from the whole log, after writing it to an emptied table; it keeps only what a restart
    /// loads (no finished application, no letter).
    private static func replayed(into session: inout LogWriteSession) throws -> HallState {
        // Decoded on this thread, not on a reader thread ahead of it: the state keeps what the events carry, and
        // objects allocated on a reader thread but kept and freed on this one made the replay half as slow again
        // (620,000 events: 4.4–4.7 s here, 7.0–7.3 s pipelined), while rebuilds, which keep only rows, gain from it.
        var state = HallState()
        try session.forEachEntry(from: 1) { entry in
            state.evolve(by: try recorded(from: entry))
        }
        try session.clearTable(DeciderStateTable.name)
        try DeciderStateTable.write(DeciderStateTable.everyKey(of: state), from: state, to: &session)
        try DeciderStateTable.writeMeta(to: &session)
        state.applications = state.applications.filter { !$0.value.status.isTerminal }
        state.letters = [:]
        return state
    }

    /// Decides `command` for `actor` and, when it is accepted, records its events durably; returns once the
    /// observer has caught up with them — or, when `waitingForObserver` is false, as soon as they are durable
    /// (the caller then sees to it that reads wait for the observer: `ProjectionEngine.committed(through:)`).
    ///
    /// `alongside` runs in the same unit once the command is accepted and new: what it writes to tables outside
    /// the chain (a password hash, an activation code) commits with the events or not at all. When it throws,
    /// nothing is recorded.
    /// - Throws: `Rejection` when the rules refuse it; `LogError` when storage fails.
    public func execute(
        _ command: Command, actor: String, idempotencyKey: String? = nil, commandId: String = RandomCommandID.next(),
        waitingForObserver: Bool = true, alongside: (@Sendable (inout LogWriteSession) throws -> Void)? = nil
    ) async throws -> CommandResult {
        // Only a command that can be retried under a key needs its fingerprint: it stays off the common path.
        let fingerprint = try idempotencyKey.map { _ in try Self.fingerprint(of: command, actor: actor) }
        // One suspension for both waits: the log's writer, once the batch is durable, hands the command to the
        // observer, whose thread resumes it when the read models have caught up (a second suspension, in the
        // commands' task, cost a hop through the concurrency pool per command).
        return try await withCheckedThrowingContinuation { continuation in
            log.enqueue({ [self] session in
                // The lock is held while the unit decides and stages its events: no I/O happens under it, and
                // readers never see a state between two events of one command.
                try state.withLock { current in
                    let rewrote = try catchUp(&current, with: &session)
                    do {
                        return try run(command, actor: actor, idempotencyKey: idempotencyKey, fingerprint: fingerprint,
                            commandId: commandId, alongside: alongside, state: &current, session: &session)
                    } catch {
                        // The table written anew goes with the failed unit: the next unit must not trust the state.
                        if rewrote { current.position = .max }
                        throw error
                    }
                }
            }) { [observer] outcome in
                guard case .success(let result) = outcome, waitingForObserver, let observer,
                    let positions = result.positions
                else {
                    continuation.resume(with: outcome)
                    return
                }
                observer.whenCommitted(through: positions.upperBound) { continuation.resume(with: $0.map { result }) }
            }
        }
    }

    private func run(
        _ command: Command, actor: String, idempotencyKey: String?, fingerprint: [UInt8]?, commandId: String,
        alongside: (@Sendable (inout LogWriteSession) throws -> Void)?, state current: inout HallState,
        session: inout LogWriteSession
    ) throws -> CommandResult {
        if let key = idempotencyKey, let earlier = try session.earlierAppend(for: key) {
            guard let fingerprint, earlier.fingerprint == RememberedAppend.fingerprint(custom: fingerprint) else {
                throw LogError.idempotencyKeyReused(key)
            }
            try load(command.applicationId, into: &current, from: session)
            try loadLetter(ofApplication: command.applicationId, into: &current, from: session)
            return try replayed(earlier.positions, from: session, state: current)
        }
        try load(command.applicationId, into: &current, from: session)
        try load(letter: command.letterSerial, into: &current, from: session)
        let context = CommandContext(actor: actor, now: session.recordedAt)
        let events = try Decider.decide(command, state: current, context: context)
        guard !events.isEmpty else {
            return CommandResult(
                events: [], positions: nil, isDuplicate: false, application: nil, standing: nil, letter: nil)
        }
        // Each event is evolved into the state in place, so that the next event's tags see it — as its stored
        // payload reads back, not as decided: a time from a command keeps only the microseconds the log keeps, so
        // the state, the table and the read models equal what a replay gives (tests hold them to that). Copying
        // the state instead would cost a copy of every application per command. Should anything below fail, the
        // state is ahead of the log, and the next unit's catch-up reloads it.
        var newEvents = [NewEvent]()
        var recorded = [RecordedEvent]()
        // The rows the events change, each once: a handful, so a list beats hashing the keys' strings.
        var changed = [DeciderStateTable.Key]()
        for event in events {
            let keys = DeciderStateTable.keys(changedBy: event)
            switch event {
            case .applicationSubmitted, .letterIssued: break  // a new subject: nothing to load
            default:
                for key in keys {
                    switch key {
                    case .application(let id): try load(id, into: &current, from: session)
                    case .letter(let serial): try load(letter: serial, into: &current, from: session)
                    default: break
                    }
                }
            }
            for key in keys where !changed.contains(key) { changed.append(key) }
            let (new, stored) = try EventCodec.newEvent(storing: event, tags: event.tags(in: current, actor: actor))
            let position = session.headPosition + UInt64(newEvents.count) + 1
            newEvents.append(new)
            recorded.append(RecordedEvent(event: stored, actor: actor, recordedAt: context.now, position: position))
            current.evolve(by: recorded[recorded.count - 1])
        }
        let appended = try session.append(
            AppendRequest(
                events: newEvents, actor: actor, commandId: commandId, idempotencyKey: idempotencyKey,
                fingerprint: fingerprint))
        guard appended.positions.lowerBound == recorded[0].position else {
            throw LogError.invalidRequest("the append did not land right after the session's head")
        }
        try alongside?(&session)
        try DeciderStateTable.write(changed, from: current, to: &session)
        try loadLetter(ofApplication: recorded.lazy.compactMap(\.event.applicationId).first, into: &current, from: session)
        session.atBatchEnd(DeciderStateTable.name) { try DeciderStateTable.writeMeta(to: &$0) }
        let result = result(recorded, positions: appended.positions, isDuplicate: false, state: current)
        stage(recorded, in: &session)
        // A finished application leaves memory: its row in the table is all that reads and later commands need.
        for case .application(let id) in changed where current.applications[id]?.status.isTerminal == true {
            current.applications[id] = nil
        }
        return result
    }

    /// Keeps a unit's `recorded` events for the observer, who hears of the batch's when it ends.
    private func stage(_ recorded: [RecordedEvent], in session: inout LogWriteSession) {
        guard let observer else { return }
        let commit = session.commit
        batchEvents.withLock { batch in
            if batch.commit !== commit { batch = (commit, []) }
            batch.events += recorded
        }
        session.atBatchEnd("command-observer") { [self] session in
            let events = batchEvents.withLock { batch in
                defer { batch = (nil, []) }
                return batch.events
            }
            observer.staged(events, committing: session.commit)
        }
    }

    /// Puts letter `serial` into `state` from the table when the state does not hold it (a restart loads none).
    private func load(letter serial: String?, into state: inout HallState, from session: LogWriteSession) throws {
        guard let serial, state.letters[serial] == nil,
            let letter = try DeciderStateTable.letter(serial, in: session.writtenTables)
        else { return }
        state.letters[serial] = letter
    }

    /// Puts the letter application `id` issued into `state`, for the answer's standing.
    private func loadLetter(ofApplication id: String?, into state: inout HallState, from session: LogWriteSession) throws {
        try load(letter: id.flatMap { state.applications[$0]?.fulfilment.letterSerial }, into: &state, from: session)
    }

    /// Puts application `id` into `state` from the table when the state does not hold it (it is finished).
    private func load(_ id: String?, into state: inout HallState, from session: LogWriteSession) throws {
        guard let id, state.applications[id] == nil,
            let application = try DeciderStateTable.application(id, in: session.writtenTables)
        else { return }
        state.applications[id] = application
    }

    /// Runs `body` with the current state (it must not keep it: the writer mutates the state in place).
    public func withState<R>(_ body: (HallState) throws -> R) rethrows -> R {
        try state.withLock { try body($0) }
    }

    /// Application `id` as of the last acknowledged command: from memory while it is open, from the table once
    /// it is finished.
    public func application(_ id: String) throws -> Application? {
        if let application = state.withLock({ $0.applications[id] }) { return application }
        return try log.readTables { try DeciderStateTable.application(id, in: $0) }
    }

    /// Calls `body` with application `id` and the state, under the state's lock: the application from memory
    /// while it is open (one lock, the common case), from the table once it is finished; nil when there is none.
    public func withApplication<R>(_ id: String, _ body: (Application, HallState) throws -> R) throws -> R? {
        let open = try state.withLock { state -> R? in
            guard let application = state.applications[id] else { return nil }
            return try body(application, state)
        }
        if let open { return open }
        guard let finished = try log.readTables({ try DeciderStateTable.application(id, in: $0) }) else { return nil }
        return try state.withLock { try body(finished, $0) }
    }

    /// Brings the letter `application` issued into memory when it is not there (a restart loads no letters), so
    /// that `HallState.standing(of:)` shows it.
    public func loadLetter(of application: Application) throws {
        guard let serial = application.fulfilment.letterSerial, state.withLock({ $0.letters[serial] == nil }),
            let letter = try log.readTables({ try DeciderStateTable.letter(serial, in: $0) })
        else { return }
        // Only when still absent: the writer may have loaded it, and changed it, meanwhile.
        state.withLock { state in
            if state.letters[serial] == nil { state.letters[serial] = letter }
        }
    }

    /// The whole state as of the last acknowledged command, finished applications included, read from the table
    /// beside the log: what a replay of the log gives, for comparing with one. It reads every row.
    public func wholeState() throws -> HallState {
        guard let state = try log.readTables({ try DeciderStateTable.load(from: $0, everything: true) }) else {
            throw LogError.invalidRequest("the decider's state table does not reflect the log's head")
        }
        return state
    }

    /// The headline of every application, open or finished, as of the last commit, in no particular order: one
    /// pass over the table, a few fields read from each row.
    public func headlines() throws -> [ApplicationHeadline] {
        try log.readTables { reader in
            var headlines = [ApplicationHeadline]()
            try DeciderStateTable.forEachApplication(as: ApplicationHeadline.self, in: reader) { headline in
                headlines.append(headline)
                return true
            }
            return headlines
        }
    }

    /// The headline of application `id`, as `application(_:)` finds it, without reading a finished one whole.
    public func headline(_ id: String) throws -> ApplicationHeadline? {
        if let open = state.withLock({ $0.applications[id].map(ApplicationHeadline.init) }) { return open }
        return try log.readTables { try DeciderStateTable.application(id, as: ApplicationHeadline.self, in: $0) }
    }

    /// The domain event an entry records, decoded after upcasting.
    public static func recorded(from entry: LogEntry) throws -> RecordedEvent {
        try recorded(from: EventRecord(entry))
    }

    /// The domain event of a record read for a replay, upcast first.
    public static func recorded(from record: EventRecord) throws -> RecordedEvent {
        try EventRecordView.with(try EventCodec.upcasters.upcast(record), recorded(from:))
    }

    /// The domain event of a record a replay's read lends, already upcast (`EventLog.eventRecords`), decoded
    /// from its payload where it lies.
    public static func recorded(from view: EventRecordView) throws -> RecordedEvent {
        RecordedEvent(
            event: try EventCodec.decode(type: view.type, payload: view.payload), actor: view.actor,
            recordedAt: view.recordedAt, position: view.position)
    }

    /// The same, its type's decoder found in `decoders`, which the views of one read share.
    public static func recorded(from view: EventRecordView, decoders: inout EventCodec.DecoderCache) throws
        -> RecordedEvent
    {
        RecordedEvent(
            event: try decoders.decode(view), actor: view.actor, recordedAt: view.recordedAt, position: view.position)
    }

    /// Brings `current` to the session's head — after a unit or batch that failed left it ahead, or another
    /// process wrote: from the table when it reflects the head, otherwise (the table's position is written at
    /// the end of each batch, so also after a unit that failed earlier in this batch) by replaying the log into
    /// a table written anew, returning true then.
    private func catchUp(_ current: inout HallState, with session: inout LogWriteSession) throws -> Bool {
        guard current.position != session.headPosition else { return false }
        if let loaded = try DeciderStateTable.load(from: session.writtenTables) {
            current = loaded
            return false
        }
        current = try Self.replayed(into: &session)
        return true
    }

    private func replayed(_ positions: ClosedRange<UInt64>, from session: LogWriteSession, state: HallState) throws
        -> CommandResult
    {
        var recorded = [RecordedEvent]()
        try session.forEachEntry(from: positions.lowerBound) { entry in
            if positions.contains(entry.position) { recorded.append(try Self.recorded(from: entry)) }
        }
        return result(recorded, positions: positions, isDuplicate: true, state: state)
    }

    private func result(_ events: [RecordedEvent], positions: ClosedRange<UInt64>, isDuplicate: Bool, state: HallState)
        -> CommandResult
    {
        let applicationId = events.lazy.compactMap(\.event.applicationId).first
        let letter = events.lazy.compactMap { recorded -> Letter? in
            if case .letterIssued(let issued) = recorded.event { return issued.letter } else { return nil }
        }.first
        let application = applicationId.flatMap { state.applications[$0] }
        return CommandResult(
            events: events, positions: positions, isDuplicate: isDuplicate, application: application,
            standing: application.map(state.standing(of:)), letter: letter)
    }

    private static func fingerprint(of command: Command, actor: String) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return Array(try encoder.encode(command)) + Array(actor.utf8)
    }
}
