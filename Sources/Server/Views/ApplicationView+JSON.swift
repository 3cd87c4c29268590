import Events
import Foundation

// The application view and everything it holds, written by `JSONOutput`: each object's fields in byte order of
// their keys, exactly as `HallJSON.encoder` writes the `Encodable` conformances (`JSONOutputTests` compares them).

extension ApplicationView: JSONValue {
    func write(to output: inout JSONOutput) {
        output.object { json in
            json.field("applicant", applicant)
            json.field("applicantName", applicantName)
            json.field("attachments", attachments)
            json.field("candidates", candidates)
            json.field("currentStep", currentStep)
            json.field("departmentId", departmentId)
            json.field("form", form)
            json.field("fulfilment", fulfilment)
            json.field("id", id)
            json.field("kind", kind)
            json.field("letter", letter)
            json.field("route", route)
            json.field("status", status)
            json.field("submittedAt", submittedAt)
            json.field("timeline", timeline)
            json.field("title", title)
            json.field("version", version)
        }
    }
}

extension TimelineEntry: JSONValue {
    func write(to output: inout JSONOutput) {
        output.object { json in
            json.field("action", action)
            json.field("actor", actor)
            json.field("actorName", actorName)
            json.field("at", at)
            json.field("comment", comment)
            json.field("position", position)
            json.field("type", type)
        }
    }
}

extension Attachment: JSONValue {
    func write(to output: inout JSONOutput) {
        output.object { json in
            json.field("name", name)
            json.field("sha256", sha256)
            json.field("size", size)
        }
    }
}

extension RouteStep: JSONValue {
    func write(to output: inout JSONOutput) {
        output.object { json in
            json.field("comment", comment)
            json.field("decidedAt", decidedAt)
            json.field("decidedBy", decidedBy)
            json.field("decision", decision)
            json.field("reason", reason)
            json.field("role", role)
            json.field("scope", scope)
            json.field("step", step)
        }
    }
}

extension Fulfilment: JSONValue {
    func write(to output: inout JSONOutput) {
        output.object { json in
            json.field("affixed", affixed)
            json.field("carvedSeals", carvedSeals)
            json.field("checkedIn", checkedIn)
            json.field("checkedOut", checkedOut)
            json.field("copiesProvided", copiesProvided)
            json.field("lentAt", lentAt)
            json.field("letterSerial", letterSerial)
            json.field("returnedAt", returnedAt)
            json.field("scans", scans)
        }
    }
}

extension Letter: JSONValue {
    func write(to output: inout JSONOutput) {
        output.object { json in
            json.field("applicationId", applicationId)
            json.field("destination", destination)
            json.field("expiresAt", expiresAt)
            json.field("issuedAt", issuedAt)
            json.field("matter", matter)
            json.field("number", number)
            json.field("persons", persons)
            json.field("sequence", sequence)
            json.field("serial", serial)
            json.field("status", status)
            json.field("type", type)
            json.field("year", year)
        }
    }
}

extension LetterPerson: JSONValue {
    func write(to output: inout JSONOutput) {
        output.object { json in
            json.field("idNumber", idNumber)
            json.field("name", name)
            json.field("title", title)
        }
    }
}

/// The form's own fields plus `kind`, as `ApplicationForm` encodes itself.
extension ApplicationForm: JSONValue {
    func write(to output: inout JSONOutput) {
        output.object { json in
            switch self {
            case .sealUse(let form):
                json.field("classified", form.classified)
                json.field("contractAmount", form.contractAmount)
                json.field("copies", form.copies)
                json.field("documentTitle", form.documentTitle)
                json.field("kind", kind)
                json.field("reason", form.reason)
                json.field("recipient", form.recipient)
                json.field("seals", form.seals)
                json.field("takeOut", form.takeOut)
                json.field("takeOutFrom", form.takeOutFrom)
                json.field("takeOutUntil", form.takeOutUntil)
            case .sealCarving(let form):
                json.field("basisDocument", form.basisDocument)
                json.field("category", form.category)
                json.field("custodian", form.custodian)
                json.field("departmentId", form.departmentId)
                json.field("kind", kind)
                json.field("quantity", form.quantity)
                json.field("reason", form.reason)
                json.field("replacesSeal", form.replacesSeal)
                json.field("scope", form.scope)
                json.field("sealName", form.sealName)
                json.field("size", form.size)
            case .sealAbolition(let form):
                json.field("kind", kind)
                json.field("reason", form.reason)
                json.field("seal", form.seal)
                json.field("stopDate", form.stopDate)
            case .letter(let form):
                json.field("destination", form.destination)
                json.field("important", form.important)
                json.field("kind", kind)
                json.field("letterType", form.letterType)
                json.field("matter", form.matter)
                json.field("persons", form.persons)
                json.field("validDays", form.validDays)
            case .certificate(let form):
                json.field("borrowFrom", form.borrowFrom)
                json.field("copies", form.copies)
                json.field("documents", form.documents)
                json.field("dueBack", form.dueBack)
                json.field("form", form.form)
                json.field("kind", kind)
                json.field("purpose", form.purpose)
                json.field("recipient", form.recipient)
            }
        }
    }
}

extension ApplicationKind: JSONValue {}
extension ApplicationStatus: JSONValue {}
extension StepID: JSONValue {}
extension Role: JSONValue {}
extension Decision: JSONValue {}
extension LetterType: JSONValue {}
extension LetterStatus: JSONValue {}
extension SealCategory: JSONValue {}
extension CarvingReason: JSONValue {}
extension AbolitionReason: JSONValue {}
extension CertificateDocument: JSONValue {}
extension CertificateForm: JSONValue {}
