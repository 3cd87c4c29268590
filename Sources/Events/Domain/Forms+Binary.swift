/// The payloads written on every submission, by hand in the binary format (`BinaryWritable`): the same bytes as
/// their `Encodable` conformances, which `EventCodecTests` checks for every kind of form.

/// A value written as one keyed container, whose fields another container can take over: `ApplicationForm`
/// writes its form's fields and its `kind` as one object, as its `Encodable` conformance does.
protocol BinaryFields: BinaryWritable {
    /// How many fields `writeFields` writes (nil optionals are left out).
    var binaryFieldCount: Int { get }
    func writeFields(to writer: inout BinaryWriter)
}

extension BinaryFields {
    public func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: binaryFieldCount)
        writeFields(to: &writer)
    }
}

/// How many of `values` are present.
func present(_ values: Any?...) -> Int {
    values.count { $0 != nil }
}

extension Attachment: BinaryFields {
    var binaryFieldCount: Int { 3 }
    func writeFields(to writer: inout BinaryWriter) {
        writer.field("name", name)
        writer.field("size", size)
        writer.field("sha256", sha256)
    }
}

extension LetterPerson: BinaryFields {
    var binaryFieldCount: Int { 3 }
    func writeFields(to writer: inout BinaryWriter) {
        writer.field("name", name)
        writer.field("title", title)
        writer.field("idNumber", idNumber)
    }
}

extension SealUseForm: BinaryFields {
    var binaryFieldCount: Int { 6 + present(recipient, contractAmount, takeOutFrom, takeOutUntil) }
    func writeFields(to writer: inout BinaryWriter) {
        writer.field("seals", seals)
        writer.field("documentTitle", documentTitle)
        writer.field("reason", reason)
        writer.field("copies", copies)
        writer.field("recipient", recipient)
        if let contractAmount { writer.field("contractAmount", contractAmount) }
        writer.field("takeOut", takeOut)
        writer.field("takeOutFrom", takeOutFrom)
        writer.field("takeOutUntil", takeOutUntil)
        writer.field("classified", classified)
    }
}

extension SealCarvingForm: BinaryFields {
    var binaryFieldCount: Int { 9 + present(replacesSeal) }
    func writeFields(to writer: inout BinaryWriter) {
        writer.field("sealName", sealName)
        writer.field("category", category)
        writer.field("departmentId", departmentId)
        writer.field("reason", reason)
        writer.field("basisDocument", basisDocument)
        writer.field("size", size)
        writer.field("quantity", quantity)
        writer.field("custodian", custodian)
        writer.field("scope", scope)
        writer.field("replacesSeal", replacesSeal)
    }
}

extension SealAbolitionForm: BinaryFields {
    var binaryFieldCount: Int { 3 }
    func writeFields(to writer: inout BinaryWriter) {
        writer.field("seal", seal)
        writer.field("reason", reason)
        writer.field("stopDate", stopDate)
    }
}

extension LetterForm: BinaryFields {
    var binaryFieldCount: Int { 6 }
    func writeFields(to writer: inout BinaryWriter) {
        writer.field("letterType", letterType)
        writer.field("persons", persons)
        writer.field("destination", destination)
        writer.field("matter", matter)
        writer.field("validDays", validDays)
        writer.field("important", important)
    }
}

extension CertificateRequestForm: BinaryFields {
    var binaryFieldCount: Int { 4 + present(copies, borrowFrom, dueBack) }
    func writeFields(to writer: inout BinaryWriter) {
        writer.field("documents", documents)
        writer.field("form", form)
        if let copies { writer.field("copies", copies) }
        writer.field("purpose", purpose)
        writer.field("recipient", recipient)
        writer.field("borrowFrom", borrowFrom)
        writer.field("dueBack", dueBack)
    }
}

extension ApplicationForm: BinaryFields {
    private var fields: any BinaryFields {
        switch self {
        case .sealUse(let form): form
        case .sealCarving(let form): form
        case .sealAbolition(let form): form
        case .letter(let form): form
        case .certificate(let form): form
        }
    }

    var binaryFieldCount: Int { fields.binaryFieldCount + 1 }
    func writeFields(to writer: inout BinaryWriter) {
        fields.writeFields(to: &writer)
        writer.field("kind", kind)
    }
}

extension ApplicationSubmitted: BinaryFields {
    var binaryFieldCount: Int { 6 }
    func writeFields(to writer: inout BinaryWriter) {
        writer.field("applicationId", applicationId)
        writer.field("applicant", applicant)
        writer.field("departmentId", departmentId)
        writer.key("form")
        form.write(to: &writer)
        writer.field("attachments", attachments)
        writer.field("route", route)
    }
}

extension StepDecided: BinaryFields {
    var binaryFieldCount: Int { 4 + present(comment) }
    func writeFields(to writer: inout BinaryWriter) {
        writer.field("applicationId", applicationId)
        writer.field("stepIndex", stepIndex)
        writer.field("step", step)
        writer.field("by", by)
        writer.field("comment", comment)
    }
}
