/// A name the log is indexed by: a stream (numbered by stream version) or a tag (numbered by position).
struct IndexName: Hashable, Sendable {
    enum Kind: UInt8, Sendable {
        case stream = 1
        case tag = 2
    }

    var kind: Kind
    var name: String

    static func stream(_ name: String) -> IndexName { IndexName(kind: .stream, name: name) }
    static func tag(_ name: String) -> IndexName { IndexName(kind: .tag, name: name) }

    /// `kind ‖ name ‖ 0x00`: every key of this name in a run starts with it, after the run's id.
    var keyPrefix: [UInt8] {
        var key = [kind.rawValue]
        key.append(contentsOf: IndexKey.prefix(name))
        return key
    }
}

/// One record of an index: the name's number (a stream version, or for a tag the position itself) and the
/// position of the entry it points at.
struct IndexPosting: Sendable, Equatable {
    var number: UInt64
    var position: UInt64
}

/// What one entry contributes to the indexes: its stream version, and each distinct tag.
struct IndexedEntry: Sendable {
    var position: UInt64
    var stream: String
    var streamVersion: UInt64
    var tags: [String]

    init(position: UInt64, stream: String, streamVersion: UInt64, tags: [String]) {
        self.position = position
        self.stream = stream
        self.streamVersion = streamVersion
        self.tags = tags
    }

    init(_ entry: LogEntry) {
        self.init(position: entry.position, stream: entry.stream, streamVersion: entry.streamVersion, tags: entry.tags)
    }

    /// Calls `body` with each (name, posting) pair of the entry, a repeated tag once.
    func forEachPosting(_ body: (IndexName, IndexPosting) throws -> Void) rethrows {
        try body(.stream(stream), IndexPosting(number: streamVersion, position: position))
        for (index, tag) in tags.enumerated() where !tags[..<index].contains(tag) {
            try body(.tag(tag), IndexPosting(number: position, position: position))
        }
    }

    /// True when the entry is indexed under `name`.
    func isIndexed(under name: IndexName) -> Bool {
        switch name.kind {
        case .stream: stream == name.name
        case .tag: tags.contains(name.name)
        }
    }

    /// The entry's posting under `name` (which it must be indexed under).
    func posting(under name: IndexName) -> IndexPosting {
        IndexPosting(number: name.kind == .stream ? streamVersion : position, position: position)
    }
}
