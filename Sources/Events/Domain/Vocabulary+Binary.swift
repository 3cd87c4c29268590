// The vocabulary's string-valued enumerations, matched by their raw values' bytes when read from the binary form
// (`BinaryRawEnum`).

extension Role: BinaryRawEnum { public static let rawValueTable = RawValueTable<Self>() }
extension SealCategory: BinaryRawEnum { public static let rawValueTable = RawValueTable<Self>() }
extension SealStatus: BinaryRawEnum { public static let rawValueTable = RawValueTable<Self>() }
extension ApplicationKind: BinaryRawEnum { public static let rawValueTable = RawValueTable<Self>() }
extension StepID: BinaryRawEnum { public static let rawValueTable = RawValueTable<Self>() }
extension ApplicationStatus: BinaryRawEnum { public static let rawValueTable = RawValueTable<Self>() }
extension Decision: BinaryRawEnum { public static let rawValueTable = RawValueTable<Self>() }
extension LetterType: BinaryRawEnum { public static let rawValueTable = RawValueTable<Self>() }
extension LetterStatus: BinaryRawEnum { public static let rawValueTable = RawValueTable<Self>() }
extension CertificateDocument: BinaryRawEnum { public static let rawValueTable = RawValueTable<Self>() }
extension CertificateForm: BinaryRawEnum { public static let rawValueTable = RawValueTable<Self>() }
extension CarvingReason: BinaryRawEnum { public static let rawValueTable = RawValueTable<Self>() }
extension AbolitionReason: BinaryRawEnum { public static let rawValueTable = RawValueTable<Self>() }
