/// A route step written by hand: every queue row of an application carries its route, written on every command.
extension RouteStep: BinaryWritable {
    public func write(to writer: inout BinaryWriter) {
        let optionals = [decision != nil, decidedBy != nil, decidedAt != nil, comment != nil].filter { $0 }.count
        writer.keyed(fields: 4 + optionals)
        writer.field("step", step)
        writer.field("role", role)
        writer.field("scope", scope)
        writer.field("reason", reason)
        writer.field("decision", decision)
        writer.field("decidedBy", decidedBy)
        writer.field("decidedAt", decidedAt)
        writer.field("comment", comment)
    }
}
