/// Computes an application's route from its form (DOMAIN.md §3), at submission, with the reason for each step.
///
/// The route is recorded in the submission event, so a later change of these rules never reroutes an
/// application in flight.
public enum Routing {
    public static let legalReviewAmount = 20_000
    public static let leaderAmount = 100_000
    public static let presidentAmount = 1_000_000

    /// - Parameters:
    ///   - applicantDepartment: the applicant's department.
    ///   - seals: the seals the form names (those that exist).
    public static func route(
        for form: ApplicationForm, applicantDepartment: String, seals: [String: Seal]
    ) -> [RouteStep] {
        switch form {
        case .sealUse(let form): sealUse(form, department: applicantDepartment, seals: seals)
        case .sealCarving(let form): sealCarving(form, department: applicantDepartment)
        case .sealAbolition(let form): sealAbolition(form, seal: seals[form.seal], fallback: applicantDepartment)
        case .letter(let form): letter(form, department: applicantDepartment)
        case .certificate(let form): certificate(form, department: applicantDepartment)
        }
    }

    private static func sealUse(_ form: SealUseForm, department: String, seals: [String: Seal]) -> [RouteStep] {
        let named = form.seals.compactMap { seals[$0] }
        let amount = form.contractAmount ?? 0
        let schoolLevel = named.filter { $0.category.isSchoolLevel }
        var route = [RouteStep(step: .deptHead, scope: department, reason: "经办单位负责人审核")]
        if amount >= legalReviewAmount {
            route.append(
                RouteStep(step: .legalReview, scope: school, reason: "合同金额 ≥ \(yuan(legalReviewAmount)) 元，需法律顾问审核"))
        }
        guard !schoolLevel.isEmpty else { return route }
        let sealNames = schoolLevel.map(\.name).joined(separator: "、")
        route.append(RouteStep(step: .officeReview, scope: school, reason: "使用学校层面印章（\(sealNames)），需党政办审核"))
        var leaderReasons = [String]()
        if amount >= leaderAmount { leaderReasons.append("合同金额 ≥ \(yuan(leaderAmount)) 元") }
        if named.contains(where: { $0.category == .steel || $0.category == .legalRep }) {
            leaderReasons.append("使用钢印或法定代表人名章")
        }
        if form.takeOut { leaderReasons.append("印章外带") }
        route += step(.leaderApproval, scope: department, because: leaderReasons, "，需分管校领导审批")
        var presidentReasons = [String]()
        if named.contains(where: { $0.category == .legalRep }) { presidentReasons.append("使用法定代表人名章") }
        if amount >= presidentAmount { presidentReasons.append("合同金额 ≥ \(yuan(presidentAmount)) 元") }
        return route + step(.presidentApproval, scope: school, because: presidentReasons, "，需校长审批")
    }

    private static func sealCarving(_ form: SealCarvingForm, department: String) -> [RouteStep] {
        var route = [
            RouteStep(step: .deptHead, scope: department, reason: "申请单位负责人审核"),
            RouteStep(step: .officeReview, scope: school, reason: "印章刻制须经党政办审核"),
        ]
        if form.category == .finance {
            route.append(RouteStep(step: .financeReview, scope: school, reason: "刻制财务专用章，需财务处审核"))
        }
        route.append(RouteStep(step: .leaderApproval, scope: department, reason: "印章刻制须经分管校领导审批"))
        if form.category.isSchoolLevel {
            route.append(
                RouteStep(step: .presidentApproval, scope: school, reason: "刻制学校层面印章（\(form.category.chineseName)），需校长审批"))
        }
        return route
    }

    private static func sealAbolition(_ form: SealAbolitionForm, seal: Seal?, fallback: String) -> [RouteStep] {
        let department = seal?.departmentId ?? fallback
        var route = [
            RouteStep(step: .deptHead, scope: department, reason: "印章所属单位负责人审核"),
            RouteStep(step: .officeReview, scope: school, reason: "印章废止须经党政办审核"),
            RouteStep(step: .leaderApproval, scope: department, reason: "印章废止须经分管校领导审批"),
        ]
        if let seal, seal.category.isSchoolLevel {
            route.append(
                RouteStep(step: .presidentApproval, scope: school, reason: "废止学校层面印章（\(seal.name)），需校长审批"))
        }
        return route
    }

    private static func letter(_ form: LetterForm, department: String) -> [RouteStep] {
        let route = [
            RouteStep(step: .deptHead, scope: department, reason: "经办单位负责人审核"),
            RouteStep(step: .officeReview, scope: school, reason: "介绍信由党政办审核开具"),
        ]
        var leaderReasons = [String]()
        if form.important { leaderReasons.append("重要事项") }
        if form.validDays > 10 { leaderReasons.append("有效期超过 10 天") }
        return route + step(.leaderApproval, scope: department, because: leaderReasons, "，需分管校领导审批")
    }

    private static func certificate(_ form: CertificateRequestForm, department: String) -> [RouteStep] {
        var route = [
            RouteStep(step: .deptHead, scope: department, reason: "经办单位负责人审核"),
            RouteStep(step: .officeReview, scope: school, reason: "证照使用须经党政办审核"),
        ]
        guard form.form == .original else { return route }
        route.append(RouteStep(step: .leaderApproval, scope: department, reason: "借用原件，需分管校领导审批"))
        if form.documents.contains(.legalRepID) {
            route.append(
                RouteStep(step: .presidentApproval, scope: school, reason: "借用法定代表人身份证原件，需校长审批"))
        }
        return route
    }

    /// The step, when at least one reason calls for it, with the reasons joined into one sentence.
    private static func step(_ step: StepID, scope: String, because reasons: [String], _ conclusion: String)
        -> [RouteStep]
    {
        reasons.isEmpty ? [] : [RouteStep(step: step, scope: scope, reason: reasons.joined(separator: "、") + conclusion)]
    }

    private static let school = RoleGrant.schoolScope

    /// 100000 → "100,000".
    static func yuan(_ amount: Int) -> String {
        let digits = Array(String(amount))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }
}
