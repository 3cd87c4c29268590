import Events

// The rows the writer stores on every command, written by hand in the binary format (`BinaryWritable`): the
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

extension QueuesProjection.ApplicationRow: BinaryWritable {
    func write(to writer: inout BinaryWriter) {
        writer.keyed(fields: 8)
        writer.field("kind", kind)
        writer.field("title", title)
        writer.field("applicant", applicant)
        writer.field("route", route)
        writer.field("seals", seals)
        writer.field("takeOut", takeOut)
        writer.field("submittedAt", submittedAt)
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
