import Foundation

/// The decider's state kept beside the log, in the derived table `decider-state`, so that a restart loads it
/// instead of replaying the log, and finished applications need not stay in memory.
///
/// Every entity has a row, keyed like the log's tags (`account:…`, `seal:…`, `letter:…`, `item:…`, …). An
/// application not yet finished is `open:<id>`, a finished one `application:<id>`: a restart loads the open ones,
/// which lie together, and touches neither the finished ones nor the letters, which are read when a command or
/// a view names one. `meta` holds the table's version and the log position it reflects. The rows change in the
/// writer's unit that records the events, so they commit with them or not at all.
enum DeciderStateTable {
    static let name = "decider-state"
    /// Raised whenever what the rows hold, or how `HallState.evolve` derives them, changes: a table of another
    /// version is rebuilt from the log when the store opens.
    static let version = 2

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
            case .application(let id): DeciderStateTable.openKey(id)  // while open; `finishedKey` once finished
            case .counters: Array("counters".utf8)
            }
        }
    }

    /// The table's version and the log position its rows reflect.
    struct Meta: Codable, Equatable, BinaryWritable {
        var version: Int
        var position: UInt64

        func write(to writer: inout BinaryWriter) {
            writer.keyed(fields: 2)
            writer.field("version", version)
            writer.field("position", position)
        }
    }

    /// The numbers that make serials and application ids gapless.
    struct Counters: Codable, Equatable, BinaryWritable {
        var letterSequences: [String: Int]
        var applicationNumbers: [String: Int]

        func write(to writer: inout BinaryWriter) {
            writer.keyed(fields: 2)
            for (key, numbers) in [("letterSequences", letterSequences), ("applicationNumbers", applicationNumbers)] {
                writer.key(key)
                writer.keyed(fields: numbers.count)
                for (name, number) in numbers {
                    writer.key(name)
                    writer.signed(number)
                }
            }
        }
    }

    static let metaKey = Array("meta".utf8)
    static func openKey(_ id: String) -> [UInt8] { Array("open:\(id)".utf8) }
    static func finishedKey(_ id: String) -> [UInt8] { Array("application:\(id)".utf8) }

    /// The rows `event` changes, besides the position.
    static func keys(changedBy event: DomainEvent) -> [Key] {
        let stream = event.stream
        let colon = stream.firstIndex(of: ":") ?? stream.startIndex
        let id = String(stream[colon...].dropFirst())
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
            case .counters: value = written(counters(of: state))
            case .application(let id):
                // An application never leaves the state: one missing from memory is finished and already stored.
                // Finished is final, so only an application finishing now has an open row to delete.
                guard let application = state.applications[id] else { continue }
                let finished = application.status.isTerminal
                try session.setTableValue(name, key: finished ? finishedKey(id) : openKey(id), value: written(application))
                if finished { try session.setTableValue(name, key: openKey(id), value: nil) }
                continue
            }
            try session.setTableValue(name, key: key.bytes, value: value)
        }
    }

    /// Marks the rows as reflecting the session's head.
    static func writeMeta(to session: inout LogWriteSession) throws {
        try session.setTableValue(name, key: metaKey, value: written(Meta(version: version, position: session.headPosition)))
    }

    /// `value` in the binary format, written by hand: no dynamic cast on the writer's path.
    private static func written(_ value: some BinaryWritable) -> [UInt8] {
        var writer = BinaryWriter()
        value.write(to: &writer)
        return writer.bytes
    }

    /// The state as the table holds it — what a restart keeps in memory (no finished application, no letter), or
    /// with `everything` — when the table is of this version and reflects the reader's head; nil when it must be
    /// rebuilt.
    static func load(from reader: TableReader, everything: Bool = false) throws -> HallState? {
        let decoder = BinaryDecoder()
        guard let bytes = try reader.value(name, key: metaKey),
            let meta = try? decoder.decode(Meta.self, from: bytes),
            meta.version == version, meta.position == reader.headPosition
        else { return nil }
        var state = HallState()
        state.position = meta.position
        try rows("department:", in: reader) { state.departments[$0] = try decoder.decode(Department.self, from: $1) }
        try rows("account:", in: reader) { state.setAccount(try decoder.decode(Account.self, from: $1), id: $0) }
        try rows("seal:", in: reader) { state.seals[$0] = try decoder.decode(Seal.self, from: $1) }
        try rows("item:", in: reader) { state.items[$0] = try decoder.decode(CatalogItem.self, from: $1) }
        if let bytes = try reader.value(name, key: Key.counters.bytes) {
            let counters = try decoder.decode(Counters.self, from: bytes)
            state.letterSequences = counters.letterSequences
            for (year, number) in counters.applicationNumbers {
                guard let year = Int(year) else { throw BinaryDecodingError.outOfRange }
                state.applicationNumbers[year] = number
            }
        }
        try rows("open:", in: reader) { state.applications[$0] = try decoder.decode(Application.self, from: $1) }
        if everything {
            try rows("application:", in: reader) { state.applications[$0] = try decoder.decode(Application.self, from: $1) }
            try rows("letter:", in: reader) { state.letters[$0] = try decoder.decode(Letter.self, from: $1) }
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
        try application(id, as: Application.self, in: reader)
    }

    /// The application `id` as the table holds it, read as `type` (the whole of it, or its headline).
    static func application<T: BinaryReadable>(_ id: String, as type: T.Type, in reader: TableReader) throws -> T? {
        let bytes = try reader.value(name, key: openKey(id)) ?? reader.value(name, key: finishedKey(id))
        return try bytes.map { try BinaryDecoder().read(type, from: $0) }
    }

    /// The letter `serial` as the table holds it.
    static func letter(_ serial: String, in reader: TableReader) throws -> Letter? {
        try reader.value(name, key: Key.letter(serial).bytes).map { try BinaryDecoder().decode(Letter.self, from: $0) }
    }

    /// Every application the table holds, open ones first, read as `type` (the whole of it, or its headline),
    /// while `body` returns true.
    static func forEachApplication<T: BinaryReadable>(
        as type: T.Type, in reader: TableReader, _ body: (T) throws -> Bool
    ) throws {
        let decoder = BinaryDecoder()
        for prefix in [openKey(""), finishedKey("")] {
            var going = true
            try reader.forEach(name, from: prefix) { key, value in
                guard key.starts(with: prefix) else { return false }
                going = try body(decoder.read(type, from: value))
                return going
            }
            guard going else { return }
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
