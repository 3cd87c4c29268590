import Events

/// Which applications name each stored file and each seal, so that deciding who may download a file reads the
/// applications that name it instead of every application of the hall.
///
/// A file is named by an application's attachments and by the scans its keepers recorded with their affixes; a
/// seal by the application's form (to use, abolish or replace it) and by its carving. Resubmitting an application
/// replaces what it names, as the decider's state does (the form and attachments are new, the fulfilment starts
/// over). Rows: `file/<sha256>/<application>` and `seal/<seal>/<application>` (the index), and
/// `application/<id>` (what an open application names now, to drop on resubmission; gone once it is finished).
public struct AttachmentReferencesProjection: Projection {
    public var name: String { "attachment-references" }
    public var version: Int { 1 }

    public init() {}

    /// What one application names now.
    struct Named: Codable, Sendable, Equatable {
        var files: [String] = []
        var seals: [String] = []

        var isEmpty: Bool { files.isEmpty && seals.isEmpty }
    }

    @_specialize(where Store == TableRows)
    @_specialize(where Store == MemoryRows)
    public func apply<Store: ProjectionRows>(_ recorded: RecordedEvent, to store: inout Store) throws {
        switch recorded.event {
        case .applicationSubmitted(let event):
            // A new application names nothing yet: no row to read.
            try replace(event.applicationId, with: Self.named(event.attachments, event.form), &store, was: Named())
        case .applicationResubmitted(let event):
            try replace(event.applicationId, with: Self.named(event.attachments, event.form), &store)
        case .sealAffixed(let event):
            guard let scan = event.scan else { return }
            try add(event.applicationId, indexKey: "file/\(scan)/\(event.applicationId)", &store) { $0.files.append(scan) }
        case .sealRegistered(let event):
            guard let applicationId = event.applicationId else { return }
            try add(applicationId, indexKey: "seal/\(event.seal)/\(applicationId)", &store) { $0.seals.append(event.seal) }
        case .applicationCompleted(let event):
            try forget(event.applicationId, &store)
        case .applicationCancelled(let event):
            try forget(event.applicationId, &store)
        case .stepRejected(let event):
            try forget(event.applicationId, &store)
        default:
            return
        }
    }

    /// What a submission names: its attachments and the seals its form names. (It takes the two fields, not the
    /// event: passing the event copied it, retaining all it holds.)
    private static func named(_ attachments: [Attachment], _ form: ApplicationForm) -> Named {
        Named(files: attachments.map(\.sha256), seals: Application.sealIds(of: form))
    }

    /// Makes `named` all that application `id` names (`old`, or as its row says): index rows it no longer has
    /// go, new ones come.
    private func replace(_ id: String, with named: Named, _ store: inout some ProjectionRows, was old: Named? = nil)
        throws
    {
        let old = try old ?? store.row(Named.self, key: "application/\(id)") ?? Named()
        // An application that names nothing (most letters and certificates) writes no row.
        guard named != old else { return }
        let kept = Self.indexKeys(id, named)
        if !old.isEmpty {
            let keeping = Set(kept)
            for key in Self.indexKeys(id, old) where !keeping.contains(key) {
                try store.setUnreadRow(Bool?.none, key: key)
            }
        }
        for key in kept {
            try store.setUnreadRow(true, key: key)
        }
        try store.setRow(named.isEmpty ? nil : named, key: "application/\(id)")
    }

    /// Adds a file or a seal to what application `id` names: its index row `indexKey`, and its list changed in
    /// place (or begun).
    private func add(_ id: String, indexKey: RowKey, _ store: inout some ProjectionRows, _ change: (inout Named) -> Void)
        throws
    {
        if try !store.updateRow(Named.self, key: "application/\(id)", change) {
            var named = Named()
            change(&named)
            try store.setRow(named, key: "application/\(id)")
        }
        try store.setUnreadRow(true, key: indexKey)
    }

    /// Drops the list of what a finished application names: it can no longer be resubmitted, so its index rows
    /// stay as they are.
    private func forget(_ id: String, _ store: inout some ProjectionRows) throws {
        try store.setRow(Named?.none, key: "application/\(id)")
    }

    private static func indexKeys(_ id: String, _ named: Named) -> [RowKey] {
        named.files.map { "file/\($0)/\(id)" } + named.seals.map { "seal/\($0)/\(id)" }
    }

    /// The applications that name file `sha256`, then those that name one of `seals`, each once.
    public static func applications(naming sha256: String, orUsing seals: Set<String>, from engine: ProjectionEngine)
        throws -> [String]
    {
        try engine.read("attachment-references") { reader, table in
            var ids = [String]()
            var seen = Set<String>()
            for prefix in ["file/\(sha256)/"] + seals.sorted().map({ "seal/\($0)/" }) {
                for (key, _) in try reader.rows(Bool.self, table: table, prefix: prefix) {
                    let id = String(key.dropFirst(prefix.count))
                    if seen.insert(id).inserted { ids.append(id) }
                }
            }
            return ids
        }
    }
}
