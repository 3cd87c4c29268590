import Foundation

/// One field that failed validation, with a message for the applicant in Chinese.
public struct FieldError: Codable, Sendable, Equatable {
    public var field: String
    public var message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }
}

/// The checks a form can make on its own, before any state is consulted.
enum FormValidation {
    static let maxText = 500

    static func errors(in form: ApplicationForm, attachments: [Attachment]) -> [FieldError] {
        var errors = [FieldError]()
        switch form {
        case .sealUse(let form): check(form, attachments: attachments, into: &errors)
        case .sealCarving(let form): check(form, into: &errors)
        case .sealAbolition(let form): text(form.seal, "seal", "印章", into: &errors)
        case .letter(let form): check(form, into: &errors)
        case .certificate(let form): check(form, into: &errors)
        }
        for (index, attachment) in attachments.enumerated() {
            let isHash = attachment.sha256.count == 64 && attachment.sha256.allSatisfy(\.isHexDigit)
            if !isHash || attachment.size < 0 || attachment.name.isEmpty {
                errors.append(FieldError("attachments[\(index)]", "附件信息不完整"))
            }
        }
        return errors
    }

    private static func check(_ form: SealUseForm, attachments: [Attachment], into errors: inout [FieldError]) {
        if form.seals.isEmpty || form.seals.count > 5 {
            errors.append(FieldError("seals", "请选择 1 至 5 枚印章"))
        } else if Set(form.seals).count != form.seals.count {
            errors.append(FieldError("seals", "同一印章不能重复选择"))
        }
        text(form.documentTitle, "documentTitle", "文件名称", into: &errors)
        text(form.reason, "reason", "用印事由", into: &errors)
        if !(1...500).contains(form.copies) { errors.append(FieldError("copies", "份数须在 1 至 500 之间")) }
        if let amount = form.contractAmount, amount < 0 {
            errors.append(FieldError("contractAmount", "合同金额不能为负数"))
        }
        if form.classified { errors.append(FieldError("classified", "涉密材料请线下办理")) }
        if form.takeOut {
            if let from = form.takeOutFrom, let until = form.takeOutUntil {
                if until <= from { errors.append(FieldError("takeOutUntil", "归还时间须晚于外带时间")) }
            } else {
                errors.append(FieldError("takeOutUntil", "外带用印须填写外带起止时间"))
            }
        }
        if attachments.isEmpty { errors.append(FieldError("attachments", "请上传需用印的文件")) }
    }

    private static func check(_ form: SealCarvingForm, into errors: inout [FieldError]) {
        text(form.sealName, "sealName", "印章全称", into: &errors)
        text(form.departmentId, "departmentId", "所属单位", into: &errors)
        text(form.basisDocument, "basisDocument", "依据文件文号", into: &errors)
        text(form.custodian, "custodian", "保管人", into: &errors)
        text(form.scope, "scope", "使用范围", into: &errors)
        if ![42, 40, 38].contains(form.size) { errors.append(FieldError("size", "印章尺寸须为 42、40 或 38 毫米")) }
        if !(1...3).contains(form.quantity) { errors.append(FieldError("quantity", "枚数须在 1 至 3 之间")) }
        if form.reason != .new && (form.replacesSeal ?? "").isEmpty {
            errors.append(FieldError("replacesSeal", "更换或遗失补刻须注明原印章"))
        }
    }

    private static func check(_ form: LetterForm, into errors: inout [FieldError]) {
        if form.persons.isEmpty || form.persons.count > 10 {
            errors.append(FieldError("persons", "介绍人员须为 1 至 10 人"))
        }
        for (index, person) in form.persons.enumerated() {
            text(person.name, "persons[\(index)].name", "姓名", into: &errors)
            text(person.title, "persons[\(index)].title", "职务", into: &errors)
            if !isMaskedIDNumber(person.idNumber) {
                errors.append(FieldError("persons[\(index)].idNumber", "身份证号须脱敏填写，如 2301**********1234"))
            }
        }
        text(form.destination, "destination", "前往单位", into: &errors)
        text(form.matter, "matter", "联系事项", into: &errors)
        if !(1...30).contains(form.validDays) { errors.append(FieldError("validDays", "有效期须在 1 至 30 天之间")) }
    }

    private static func check(_ form: CertificateRequestForm, into errors: inout [FieldError]) {
        if form.documents.isEmpty || Set(form.documents).count != form.documents.count {
            errors.append(FieldError("documents", "请选择所需证照，且不能重复"))
        }
        text(form.purpose, "purpose", "用途", into: &errors)
        text(form.recipient, "recipient", "接收单位", into: &errors)
        switch form.form {
        case .copy:
            if !(1...50).contains(form.copies ?? 0) { errors.append(FieldError("copies", "复印份数须在 1 至 50 之间")) }
        case .original:
            guard let from = form.borrowFrom, let due = form.dueBack else {
                errors.append(FieldError("dueBack", "借用原件须填写借用和归还日期"))
                return
            }
            if due <= from || due.timeIntervalSince(from) > 14 * 86_400 {
                errors.append(FieldError("dueBack", "归还日期须在借用日期之后 14 天以内"))
            }
        }
    }

    private static func text(_ value: String, _ field: String, _ name: String, into errors: inout [FieldError]) {
        // One pass over the scalars, with no table lookup past the first one that is not white space: the check
        // runs on the writer's thread for every field of every submission. Blank is all white space (what
        // Foundation's trimming would empty). Control characters are general category Cc, which Unicode's
        // stability policy fixes as U+0000–U+001F and U+007F–U+009F.
        var blank = true
        var control = false
        for scalar in value.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { control = true }
            if blank && !scalar.properties.isWhitespace { blank = false }
        }
        if blank {
            errors.append(FieldError(field, "请填写\(name)"))
        } else if value.utf8.count > maxText && value.count > maxText {  // no more characters than bytes
            errors.append(FieldError(field, "\(name)不能超过 \(maxText) 字"))
        } else if control {
            errors.append(FieldError(field, "\(name)含有不可见的控制字符"))
        }
    }

    /// 15 to 18 characters of digits, `X` and `*`, at least four of them masked.
    static func isMaskedIDNumber(_ value: String) -> Bool {
        // All ASCII, so one byte per character.
        let bytes = value.utf8
        let allowed = { (byte: UInt8) in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "X")
                || byte == UInt8(ascii: "x")
        }
        return (15...18).contains(bytes.count) && bytes.allSatisfy(allowed)
            && bytes.lazy.filter { $0 == UInt8(ascii: "*") }.count >= 4
    }
}
