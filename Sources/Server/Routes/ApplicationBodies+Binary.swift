import Events

// The bodies sent most, read by hand from their binary form (`JSONTranscoder`, `BinaryReadable`) as their
// `Decodable` conformances read them from JSON; `JSONTranscoderTests` holds the two to the same values.

extension ApplicationBodies.Submission: BinaryReadable {
    init(from reader: inout BinaryReader) throws {
        var kind: ApplicationKind?, formReader: BinaryReader?, attachments: [Attachment]?
        try reader.fields { key, reader in
            switch key {
            case "kind": kind = try reader.value()
            case "form":
                // Read once the kind is known, which may come after it.
                formReader = reader
                return false
            case "attachments": attachments = try reader.optional { try $0.read() }
            default: return false
            }
            return true
        }
        var form = try required(formReader, "form")
        switch try required(kind, "kind") {
        case .sealUse: self.form = .sealUse(try form.read())
        case .sealCarving: self.form = .sealCarving(try form.read())
        case .sealAbolition: self.form = .sealAbolition(try form.read())
        case .letter: self.form = .letter(try form.read())
        case .certificate: self.form = .certificate(try form.read())
        }
        self.attachments = attachments ?? []
    }
}

extension ApplicationBodies.DecisionBody: BinaryReadable {
    init(from reader: inout BinaryReader) throws {
        var decision: Decision?, comment: String?, expectedVersion: Int?
        try reader.fields { key, reader in
            switch key {
            case "decision": decision = try reader.value()
            case "comment": comment = try reader.optional { try $0.string() }
            case "expectedVersion": expectedVersion = try reader.int()
            default: return false
            }
            return true
        }
        self.init(
            decision: try required(decision, "decision"), comment: comment,
            expectedVersion: try required(expectedVersion, "expectedVersion"))
    }
}
