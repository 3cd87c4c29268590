import Foundation

/// The decider's state kept beside the log, in the derived table `decider-state`, so that a restart loads it
/// instead of replaying the log, and finished applications need not stay in memory.
///
/// Every entity has a row, keyed like the log's tags (`account:…`, `seal:…`, `letter:…`, `application:…`, …);
/// `open:<id>` marks the applications not yet finished, which are all a restart loads of them; `meta` holds the
/// table's version and the log position it reflects. The rows change in the writer's unit that records the
/// events, so they commit with them or not at all.
enum DeciderStateTable {
    static let name = "decider-state"
    /// Raised whenever what the rows hold, or how `HallState.evolve` derives them, changes: a table of another
    /// version is rebuilt from the log when the store opens.
    static let version = 1

    /// A row of the table: one entity of the state.
    enum Key: Hashable {
        case department(String), account(String), seal(String), letter(String), item(String), application(String)
        case counters

        var bytes: [UInt8] {
            switch self {
            case .department(let id): Array("department:\(id)".utf8)
            case .account(let id): Array("account:\(id)".utf8)
            case .seal(let id): Array("seal:\(id)".utf8)
            case .letter(let serial): Array("letter:\(serial)".utf8)
            case .item(let id): Array("item:\(id)".utf8)
            case .application(let id): DeciderStateTable.applicationKey(id)
            case .counters: Array("counters".utf8)
            }
        }
    }

    /// The table's version and the log position its rows reflect.
    struct Meta: Codable, Equatable {
        var version: Int
        var position: UInt64
    }

    /// The numbers that make serials and application ids gapless.
    struct Counters: Codable, Equatable {
        var letterSequences: [String: Int]
        var applicationNumbers: [String: Int]
    }

    static let metaKey = Array("meta".utf8)
    static func applicationKey(_ id: String) -> [UInt8] { Array("application:\(id)".utf8) }
    static func openKey(_ id: String) -> [UInt8] { Array("open:\(id)".utf8) }

    /// The rows `event` changes, besides the position.
    static func keys(changedBy event: DomainEvent) -> [Key] {
        let stream = event.stream
        let colon = stream.firstIndex(of: ":")!
        let id = String(stream[stream.index(after: colon)...])
        var keys: [Key]
        switch stream[..<colon] {
        case "department": keys = [.department(id)]
        case "account": keys = [.account(id)]
        case "seal": keys = [.seal(id)]
        case "letter": keys = [.letter(id)]
        case "item": keys = [.item(id)]
        default: keys = []
        }
        if let application = event.applicationId { keys.append(.application(application)) }
        switch event {
        case .applicationSubmitted, .letterIssued: keys.append(.counters)
        case .sealAffixed(let event): keys.append(.seal(event.seal))
        case .sealCheckedOut(let event), .sealCheckedIn(let event): keys.append(.seal(event.seal))
        default: break
        }
        return keys
    }

    /// Writes the rows at `keys` as `state` holds them (deleting those it does not hold).
    static func write(_ keys: some Sequence<Key>, from state: HallState, to session: inout LogWriteSession) throws {
        let encoder = BinaryEncoder()
        for key in keys {
            let value: [UInt8]?
            switch key {
            case .department(let id): value = try state.departments[id].map(encoder.encode)
            case .account(let id): value = try state.accounts[id].map(encoder.encode)
            case .seal(let id): value = try state.seals[id].map(encoder.encode)
            case .letter(let serial): value = try state.letters[serial].map(encoder.encode)
            case .item(let id): value = try state.items[id].map(encoder.encode)
            case .counters: value = try encoder.encode(counters(of: state))
            case .application(let id):
                // An application never leaves the state: one missing from memory is finished and already stored.
                guard let application = state.applications[id] else { continue }
                value = try encoder.encode(application)
                try session.setTableValue(
                    name, key: openKey(id), value: application.status.isTerminal ? nil : [1])
            }
            try session.setTableValue(name, key: key.bytes, value: value)
        }
    }

    /// Marks the rows as reflecting the session's head.
    static func writeMeta(to session: inout LogWriteSession) throws {
        try session.setTableValue(
            name, key: metaKey, value: try BinaryEncoder().encode(Meta(version: version, position: session.headPosition)))
    }

    /// The state as the table holds it — with only the open applications, or with every one — when the table is
    /// of this version and reflects the reader's head; nil when it must be rebuilt.
    static func load(from reader: TableReader, everyApplication: Bool = false) throws -> HallState? {
        let decoder = BinaryDecoder()
        guard let bytes = try reader.value(name, key: metaKey),
            let meta = try? decoder.decode(Meta.self, from: bytes),
            meta.version == version, meta.position == reader.headPosition
        else { return nil }
        var state = HallState()
        state.position = meta.position
        try rows("department:", in: reader) { state.departments[$0] = try decoder.decode(Department.self, from: $1) }
        try rows("account:", in: reader) { state.accounts[$0] = try decoder.decode(Account.self, from: $1) }
        try rows("seal:", in: reader) { state.seals[$0] = try decoder.decode(Seal.self, from: $1) }
        try rows("letter:", in: reader) { state.letters[$0] = try decoder.decode(Letter.self, from: $1) }
        try rows("item:", in: reader) { state.items[$0] = try decoder.decode(CatalogItem.self, from: $1) }
        if let bytes = try reader.value(name, key: Key.counters.bytes) {
            let counters = try decoder.decode(Counters.self, from: bytes)
            state.letterSequences = counters.letterSequences
            for (year, number) in counters.applicationNumbers {
                guard let year = Int(year) else { throw BinaryDecodingError.outOfRange }
                state.applicationNumbers[year] = number
            }
        }
        if everyApplication {
            try rows("application:", in: reader) { state.applications[$0] = try decoder.decode(Application.self, from: $1) }
        } else {
            // Only the open ones are read: a finished application's row is not even touched.
            try rows("open:", in: reader) { id, _ in
                guard let application = try self.application(id, in: reader) else {
                    throw LogError.invalidRequest("the decider's state marks \(id) open but holds no such application")
                }
                state.applications[id] = application
            }
        }
        return state
    }

    /// Calls `body` with the id (the key after `prefix`) and value of every row under `prefix`.
    private static func rows(_ prefix: String, in reader: TableReader, _ body: (String, [UInt8]) throws -> Void) throws {
        let start = Array(prefix.utf8)
        try reader.forEach(name, from: start) { key, value in
            guard key.starts(with: start) else { return false }
            try body(String(decoding: key[start.count...], as: UTF8.self), value)
            return true
        }
    }

    /// The application `id` as the table holds it.
    static func application(_ id: String, in reader: TableReader) throws -> Application? {
        try reader.value(name, key: applicationKey(id)).map { try BinaryDecoder().decode(Application.self, from: $0) }
    }

    /// Every application the table holds, in id order, while `body` returns true.
    static func forEachApplication(in reader: TableReader, _ body: (Application) throws -> Bool) throws {
        let prefix = applicationKey("")
        let decoder = BinaryDecoder()
        try reader.forEach(name, from: prefix) { key, value in
            guard key.starts(with: prefix) else { return false }
            return try body(decoder.decode(Application.self, from: value))
        }
    }

    /// Every row of `state`, for filling an emptied table.
    static func everyKey(of state: HallState) -> [Key] {
        state.departments.keys.map(Key.department) + state.accounts.keys.map(Key.account)
            + state.seals.keys.map(Key.seal) + state.letters.keys.map(Key.letter) + state.items.keys.map(Key.item)
            + state.applications.keys.map(Key.application) + [.counters]
    }

    private static func counters(of state: HallState) -> Counters {
        Counters(
            letterSequences: state.letterSequences,
            applicationNumbers: Dictionary(uniqueKeysWithValues: state.applicationNumbers.map { ("\($0)", $1) }))
    }
}
