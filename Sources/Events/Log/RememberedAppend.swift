import Crypto

/// What the log keeps of an append made with an idempotency key: where it landed and what it asked for.
public struct RememberedAppend: Equatable, Sendable {
    public var positions: ClosedRange<UInt64>
    /// SHA-256 over the request's canonical content (everything but the command id), or the caller's own
    /// fingerprint, so that a retry of the same request is told apart from another request that reuses the key.
    public var fingerprint: [UInt8]

    static let storedSize = 16 + 32

    init(positions: ClosedRange<UInt64>, fingerprint: [UInt8]) {
        self.positions = positions
        self.fingerprint = fingerprint
    }

    init?(stored bytes: UnsafeRawBufferPointer) {
        guard bytes.count == Self.storedSize else { return nil }
        let first = bytes.bigEndianUInt64(at: 0)
        let last = bytes.bigEndianUInt64(at: 8)
        guard first <= last else { return nil }
        positions = first...last
        fingerprint = Array(bytes[16...])
    }

    /// The stored form of a caller's own fingerprint.
    public static func fingerprint(custom: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: custom))
    }

    static func fingerprint(of request: AppendRequest) -> [UInt8] {
        if let custom = request.fingerprint {
            return fingerprint(custom: custom)
        }
        var hasher = SHA256()
        func add(_ bytes: some Collection<UInt8>) {
            withUnsafeBytes(of: UInt64(bytes.count).bigEndian) { hasher.update(bufferPointer: $0) }
            hasher.update(data: Array(bytes))
        }
        add(request.actor.utf8)
        for (stream, expected) in request.expectations.sorted(by: { $0.key < $1.key }) {
            add(stream.utf8)
            add(expected.description.utf8)
        }
        for event in request.events {
            add(event.stream.utf8)
            add(event.type.utf8)
            add(String(event.schemaVersion).utf8)
            add(String(event.tags.count).utf8)
            for tag in event.tags { add(tag.utf8) }
            add(event.payload)
        }
        return Array(hasher.finalize())
    }

    var stored: [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(Self.storedSize)
        withUnsafeBytes(of: positions.lowerBound.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: positions.upperBound.bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: fingerprint)
        return bytes
    }
}

extension LogWriteSession {
    /// The append remembered under `key`, if any (this batch's writes included).
    func rememberedAppend(for key: String) throws -> RememberedAppend? {
        try checkIdempotencyKey(key)
        return try withKey(key) { key in
            guard let stored = try transaction.get(databases.commands, key: key) else { return nil }
            guard let remembered = RememberedAppend(stored: stored) else { throw LogError.corruptEntry(position: 0) }
            return remembered
        }
    }

    func remember(_ append: RememberedAppend, for key: String) throws {
        try withKey(key) { key in
            try append.stored.withUnsafeBytes { value in
                try transaction.put(databases.commands, key: key, value: value)
            }
        }
    }

    private func checkIdempotencyKey(_ key: String) throws {
        guard !key.isEmpty, key.utf8.count <= 128 else {
            throw LogError.invalidRequest("an idempotency key must be 1 to 128 bytes")
        }
    }
}
