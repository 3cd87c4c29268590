import Events
import Foundation

// The rows the writer reads back on every command, read by hand from the binary format (`BinaryReadable`), as
// their `Decodable` conformances read them; `RowEncodingTests` holds the two to the same values.

extension ProjectionEngine.Served: BinaryReadable {
    init(from reader: inout BinaryReader) throws {
        var version: Int?, slot: String?, position: UInt64?
        try reader.fields { key, reader in
            switch key {
            case "version": version = try reader.int()
            case "slot": slot = try reader.string()
            case "position": position = try reader.unsigned()
            default: return false
            }
            return true
        }
        self.init(
            version: try required(version, "version"), slot: try required(slot, "slot"),
            position: try required(position, "position"))
    }
}

extension QueueItem: BinaryReadable {
    public init(from reader: inout BinaryReader) throws {
        var applicationId: String?, kind: ApplicationKind?, title: String?, applicant: String?, step: String?
        var since: Date?, outcome: String?
        try reader.fields { key, reader in
            switch key {
            case "applicationId": applicationId = try reader.string()
            case "kind": kind = try reader.value()
            case "title": title = try reader.string()
            case "applicant": applicant = try reader.string()
            case "step": step = try reader.string()
            case "since": since = try reader.date()
            case "outcome": outcome = try reader.optional { try $0.string() }
            default: return false
            }
            return true
        }
        self.init(
            applicationId: try required(applicationId, "applicationId"), kind: try required(kind, "kind"),
            title: try required(title, "title"), applicant: try required(applicant, "applicant"),
            step: try required(step, "step"), since: try required(since, "since"), outcome: outcome)
    }
}

extension QueuesProjection.PendingLine: BinaryReadable {
    init(from reader: inout BinaryReader) throws {
        var role: String?, scope: String?, step: String?, since: Date?
        try reader.fields { name, reader in
            switch name {
            case "role": role = try reader.string()
            case "scope": scope = try reader.string()
            case "step": step = try reader.string()
            case "since": since = try reader.date()
            default: return false
            }
            return true
        }
        self.init(
            role: try required(role, "role"), scope: try required(scope, "scope"), try required(step, "step"),
            since: try required(since, "since"))
    }
}

extension QueuesProjection.OpenApplication: BinaryReadable {
    init(from reader: inout BinaryReader) throws {
        var id: String?, kind: ApplicationKind?, title: String?, applicant: String?, route: [RouteStep]?
        var seals: [String]?, takeOut: Bool?, submittedAt: Date?, status: ApplicationStatus?
        var pending: [QueuesProjection.PendingLine]?
        try reader.fields { key, reader in
            switch key {
            case "id": id = try reader.string()
            case "kind": kind = try reader.value()
            case "title": title = try reader.string()
            case "applicant": applicant = try reader.string()
            case "route": route = try reader.read()
            case "seals": seals = try reader.read()
            case "takeOut": takeOut = try reader.bool()
            case "submittedAt": submittedAt = try reader.date()
            case "status": status = try reader.value()
            case "pending": pending = try reader.read()
            default: return false
            }
            return true
        }
        self.init(
            id: try required(id, "id"), kind: try required(kind, "kind"), title: try required(title, "title"),
            applicant: try required(applicant, "applicant"), route: try required(route, "route"),
            seals: try required(seals, "seals"), takeOut: try required(takeOut, "takeOut"),
            submittedAt: try required(submittedAt, "submittedAt"), status: try required(status, "status"),
            pending: try required(pending, "pending"))
    }
}

extension PortalFigures: BinaryReadable {
    public init(from reader: inout BinaryReader) throws {
        var entered: Int?, online: Int?, departments: Int?, inProgress: Int?, completed: Int?, total: Int?
        try reader.fields { key, reader in
            switch key {
            case "enteredItems": entered = try reader.int()
            case "onlineItems": online = try reader.int()
            case "departments": departments = try reader.int()
            case "inProgress": inProgress = try reader.int()
            case "completed": completed = try reader.int()
            case "total": total = try reader.int()
            default: return false
            }
            return true
        }
        self.init()
        (enteredItems, onlineItems) = (try required(entered, "enteredItems"), try required(online, "onlineItems"))
        self.departments = try required(departments, "departments")
        self.inProgress = try required(inProgress, "inProgress")
        self.completed = try required(completed, "completed")
        self.total = try required(total, "total")
    }
}

extension StepDurationsProjection.Waiting: BinaryReadable {
    init(from reader: inout BinaryReader) throws {
        var kind: ApplicationKind?, step: String?, since: Date?, route: [StepID]?
        try reader.fields { key, reader in
            switch key {
            case "kind": kind = try reader.value()
            case "step": step = try reader.string()
            case "since": since = try reader.date()
            case "route": route = try reader.array { try $0.value() }
            default: return false
            }
            return true
        }
        self.init(
            kind: try required(kind, "kind"), step: try required(step, "step"), since: try required(since, "since"),
            route: try required(route, "route"))
    }
}

extension StepDuration: BinaryReadable {
    public init(from reader: inout BinaryReader) throws {
        var kind: ApplicationKind?, step: String?, count: Int?, totalSeconds: Double?, maxSeconds: Double?
        var withinHour: Int?, withinDay: Int?, withinThreeDays: Int?, longer: Int?
        try reader.fields { key, reader in
            switch key {
            case "kind": kind = try reader.value()
            case "step": step = try reader.string()
            case "count": count = try reader.int()
            case "totalSeconds": totalSeconds = try reader.double()
            case "maxSeconds": maxSeconds = try reader.double()
            case "withinHour": withinHour = try reader.int()
            case "withinDay": withinDay = try reader.int()
            case "withinThreeDays": withinThreeDays = try reader.int()
            case "longer": longer = try reader.int()
            default: return false
            }
            return true
        }
        self.init(kind: try required(kind, "kind"), step: try required(step, "step"))
        self.count = try required(count, "count")
        self.totalSeconds = try required(totalSeconds, "totalSeconds")
        self.maxSeconds = try required(maxSeconds, "maxSeconds")
        self.withinHour = try required(withinHour, "withinHour")
        self.withinDay = try required(withinDay, "withinDay")
        self.withinThreeDays = try required(withinThreeDays, "withinThreeDays")
        self.longer = try required(longer, "longer")
    }
}
