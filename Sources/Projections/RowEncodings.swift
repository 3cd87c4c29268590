import Events

// The rows the read models store, written by hand in the binary format (`BinaryWritable`): the
// same bytes as their `Encodable` conformances, which `RowEncodingTests` checks, at a fraction of the cost.

extension ProjectionEngine.Served: BinaryWritable {
    func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: 3)
        writer.field("version", version)
        writer.field("slot", slot)
        writer.field("position", position)
    }
}

extension QueueItem: BinaryWritable {
    public func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: outcome == nil ? 6 : 7)
        writer.field("applicationId", applicationId)
        writer.field("kind", kind)
        writer.field("title", title)
        writer.field("applicant", applicant)
        writer.field("step", step)
        writer.field("since", since)
        writer.field("outcome", outcome)
    }
}

extension QueuesProjection.PendingLine: BinaryWritable {
    func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: 4)
        writer.field("role", role)
        writer.field("scope", scope)
        writer.field("step", step)
        writer.field("since", since)
    }
}

extension QueuesProjection.OpenApplication: BinaryWritable {
    func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: 10)
        writer.field("id", id)
        writer.field("kind", kind)
        writer.field("title", title)
        writer.field("applicant", applicant)
        writer.field("route", route)
        writer.field("seals", seals)
        writer.field("takeOut", takeOut)
        writer.field("submittedAt", submittedAt)
        writer.field("status", status)
        writer.field("pending", pending)
    }
}

extension PortalFigures: BinaryWritable {
    public func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: 6)
        writer.field("enteredItems", enteredItems)
        writer.field("onlineItems", onlineItems)
        writer.field("departments", departments)
        writer.field("inProgress", inProgress)
        writer.field("completed", completed)
        writer.field("total", total)
    }
}

extension StepDurationsProjection.Waiting: BinaryWritable {
    func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: 4)
        writer.field("kind", kind)
        writer.field("step", step)
        writer.field("since", since)
        writer.field("route", route)
    }
}

extension StepDuration: BinaryWritable {
    public func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: 9)
        writer.field("kind", kind)
        writer.field("step", step)
        writer.field("count", count)
        writer.field("totalSeconds", totalSeconds)
        writer.field("maxSeconds", maxSeconds)
        writer.field("withinHour", withinHour)
        writer.field("withinDay", withinDay)
        writer.field("withinThreeDays", withinThreeDays)
        writer.field("longer", longer)
    }
}

extension SealRegisterRow: BinaryWritable {
    public func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: custodian == nil ? 6 : 7)
        writer.field("id", id)
        writer.field("name", name)
        writer.field("category", category)
        writer.field("departmentId", departmentId)
        writer.field("custodian", custodian)
        writer.field("status", status)
        writer.field("uses", uses)
    }
}

extension SealUseRow: BinaryWritable {
    public func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: scan == nil ? 11 : 12)
        writer.field("position", position)
        writer.field("at", at)
        writer.field("seal", seal)
        writer.field("applicationId", applicationId)
        writer.field("impressions", impressions)
        writer.field("documentTitle", documentTitle)
        writer.field("reason", reason)
        writer.field("departmentId", departmentId)
        writer.field("applicant", applicant)
        writer.field("approvers", approvers)
        writer.field("keeper", keeper)
        writer.field("scan", scan)
    }
}

extension CertificateLedgerRow: BinaryWritable {
    public func write(to writer: inout BinaryWriter) {
        let present = [copies != nil, lentAt != nil, dueBack != nil, returnedAt != nil].filter { $0 }.count
        writer.keyed(fields: 7 + present)
        writer.field("applicationId", applicationId)
        writer.field("applicant", applicant)
        writer.field("departmentId", departmentId)
        writer.field("documents", documents)
        writer.field("form", form)
        writer.field("purpose", purpose)
        writer.field("recipient", recipient)
        if let copies { writer.field("copies", copies) }
        writer.field("lentAt", lentAt)
        writer.field("dueBack", dueBack)
        writer.field("returnedAt", returnedAt)
    }
}

extension AttachmentReferencesProjection.Named: BinaryWritable {
    func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: 2)
        writer.field("files", files)
        writer.field("seals", seals)
    }
}
