import Foundation

// Applications written and read by hand in the binary format, as the decider's state table stores them
// (`DeciderStateTable`): the same bytes and values as their `Codable` conformances, which
// `DeciderStateTableTests` checks.

extension Fulfilment: BinaryWritable, BinaryReadable {
    public func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: 5 + present(letterSerial, copiesProvided, lentAt, returnedAt))
        writer.field("affixed", affixed)
        writer.field("scans", scans)
        writer.field("checkedOut", checkedOut)
        writer.field("checkedIn", checkedIn)
        writer.field("carvedSeals", carvedSeals)
        writer.field("letterSerial", letterSerial)
        if let copiesProvided { writer.field("copiesProvided", copiesProvided) }
        writer.field("lentAt", lentAt)
        writer.field("returnedAt", returnedAt)
    }

    public init(from reader: inout BinaryReader) throws {
        self.init()
        var fulfilment = self
        try reader.fields { key, reader in
            switch key {
            case "affixed": fulfilment.affixed = try reader.read()
            case "scans": fulfilment.scans = try reader.read()
            case "checkedOut": fulfilment.checkedOut = try reader.read()
            case "checkedIn": fulfilment.checkedIn = try reader.read()
            case "carvedSeals": fulfilment.carvedSeals = try reader.read()
            case "letterSerial": fulfilment.letterSerial = try reader.optional { try $0.string() }
            case "copiesProvided": fulfilment.copiesProvided = try reader.optional { try $0.int() }
            case "lentAt": fulfilment.lentAt = try reader.optional { try $0.date() }
            case "returnedAt": fulfilment.returnedAt = try reader.optional { try $0.date() }
            default: return false
            }
            return true
        }
        self = fulfilment
    }
}

extension Application: BinaryWritable, BinaryReadable {
    public func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: currentStep == nil ? 10 : 11)
        writer.field("id", id)
        writer.field("applicant", applicant)
        writer.field("departmentId", departmentId)
        writer.key("form")
        form.write(to: &writer)
        writer.field("attachments", attachments)
        writer.field("route", route)
        if let currentStep { writer.field("currentStep", currentStep) }
        writer.field("status", status)
        writer.field("version", version)
        writer.field("submittedAt", submittedAt)
        writer.key("fulfilment")
        fulfilment.write(to: &writer)
    }

    public init(from reader: inout BinaryReader) throws {
        var id: String?, applicant: String?, departmentId: String?, form: ApplicationForm?
        var attachments: [Attachment]?, route: [RouteStep]?, currentStep: Int?, status: ApplicationStatus?
        var version: Int?, submittedAt: Date?, fulfilment: Fulfilment?
        try reader.fields { key, reader in
            switch key {
            case "id": id = try reader.string()
            case "applicant": applicant = try reader.string()
            case "departmentId": departmentId = try reader.string()
            case "form": form = try reader.read()
            case "attachments": attachments = try reader.read()
            case "route": route = try reader.read()
            case "currentStep": currentStep = try reader.optional { try $0.int() }
            case "status": status = try reader.value()
            case "version": version = try reader.int()
            case "submittedAt": submittedAt = try reader.date()
            case "fulfilment": fulfilment = try reader.read()
            default: return false
            }
            return true
        }
        self.init(
            id: try required(id, "id"), applicant: try required(applicant, "applicant"),
            departmentId: try required(departmentId, "departmentId"), form: try required(form, "form"),
            attachments: try required(attachments, "attachments"), route: try required(route, "route"),
            currentStep: currentStep, status: try required(status, "status"), version: try required(version, "version"),
            submittedAt: try required(submittedAt, "submittedAt"), fulfilment: try required(fulfilment, "fulfilment"))
    }
}
