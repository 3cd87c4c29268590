import Foundation
import Testing
import TestSupport

@testable import Events

@Suite("Routing")
struct RoutingTests {
    /// One row: a form and the steps (in order) its route must have.
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var form: ApplicationForm
        var steps: [StepID]
        var testDescription: String { name }
    }

    static let sealUseCases: [Case] = [
        Case(name: "department seal, no amount", form: Cast.sealUse([.department]), steps: [.deptHead]),
        Case(name: "department seal, 19,999", form: Cast.sealUse([.department], amount: 19_999), steps: [.deptHead]),
        Case(name: "department seal, 20,000", form: Cast.sealUse([.department], amount: 20_000), steps: [.deptHead, .legalReview]),
        Case(name: "department seal, 1,000,000 stays in the department", form: Cast.sealUse([.business], amount: 1_000_000), steps: [.deptHead, .legalReview]),
        Case(name: "department-party seal taken out", form: Cast.sealUse([.departmentParty], takeOut: true), steps: [.deptHead]),
        Case(name: "administrative seal", form: Cast.sealUse([.administrative]), steps: [.deptHead, .officeReview]),
        Case(name: "party seal", form: Cast.sealUse([.party]), steps: [.deptHead, .officeReview]),
        Case(name: "finance seal", form: Cast.sealUse([.finance]), steps: [.deptHead, .officeReview]),
        Case(name: "contract seal, 19,999", form: Cast.sealUse([.contract], amount: 19_999), steps: [.deptHead, .officeReview]),
        Case(name: "contract seal, 20,000", form: Cast.sealUse([.contract], amount: 20_000), steps: [.deptHead, .legalReview, .officeReview]),
        Case(name: "contract seal, 99,999", form: Cast.sealUse([.contract], amount: 99_999), steps: [.deptHead, .legalReview, .officeReview]),
        Case(name: "contract seal, 100,000", form: Cast.sealUse([.contract], amount: 100_000), steps: [.deptHead, .legalReview, .officeReview, .leaderApproval]),
        Case(name: "contract seal, 999,999", form: Cast.sealUse([.contract], amount: 999_999), steps: [.deptHead, .legalReview, .officeReview, .leaderApproval]),
        Case(name: "contract seal, 1,000,000", form: Cast.sealUse([.contract], amount: 1_000_000), steps: [.deptHead, .legalReview, .officeReview, .leaderApproval, .presidentApproval]),
        Case(name: "steel seal", form: Cast.sealUse([.steel]), steps: [.deptHead, .officeReview, .leaderApproval]),
        Case(name: "legal-rep seal", form: Cast.sealUse([.legalRep]), steps: [.deptHead, .officeReview, .leaderApproval, .presidentApproval]),
        Case(name: "administrative seal taken out", form: Cast.sealUse([.administrative], takeOut: true), steps: [.deptHead, .officeReview, .leaderApproval]),
        Case(name: "department and school seals together", form: Cast.sealUse([.department, .administrative], amount: 50_000), steps: [.deptHead, .legalReview, .officeReview]),
    ]

    static let otherCases: [Case] = [
        Case(name: "carving a department seal", form: Cast.carving(.department), steps: [.deptHead, .officeReview, .leaderApproval]),
        Case(name: "carving a business seal", form: Cast.carving(.business), steps: [.deptHead, .officeReview, .leaderApproval]),
        Case(name: "carving a finance seal", form: Cast.carving(.finance), steps: [.deptHead, .officeReview, .financeReview, .leaderApproval, .presidentApproval]),
        Case(name: "carving an administrative seal", form: Cast.carving(.administrative), steps: [.deptHead, .officeReview, .leaderApproval, .presidentApproval]),
        Case(name: "abolishing a department seal", form: Cast.abolition(Cast.seal(.department)), steps: [.deptHead, .officeReview, .leaderApproval]),
        Case(name: "abolishing a school seal", form: Cast.abolition(Cast.seal(.steel)), steps: [.deptHead, .officeReview, .leaderApproval, .presidentApproval]),
        Case(name: "letter, 10 days", form: Cast.letter(validDays: 10), steps: [.deptHead, .officeReview]),
        Case(name: "letter, 11 days", form: Cast.letter(validDays: 11), steps: [.deptHead, .officeReview, .leaderApproval]),
        Case(name: "letter, important", form: Cast.letter(important: true), steps: [.deptHead, .officeReview, .leaderApproval]),
        Case(name: "party letter", form: Cast.letter(type: .party), steps: [.deptHead, .officeReview]),
        Case(name: "certificate copies, all documents", form: Cast.certificate(CertificateDocument.allCases, original: false), steps: [.deptHead, .officeReview]),
        Case(name: "certificate original", form: Cast.certificate([.certificateOriginal], original: true), steps: [.deptHead, .officeReview, .leaderApproval]),
        Case(name: "duplicate original", form: Cast.certificate([.certificateDuplicate], original: true), steps: [.deptHead, .officeReview, .leaderApproval]),
        Case(name: "legal-rep ID copy", form: Cast.certificate([.legalRepID], original: false), steps: [.deptHead, .officeReview]),
        Case(name: "legal-rep ID original", form: Cast.certificate([.legalRepID], original: true), steps: [.deptHead, .officeReview, .leaderApproval, .presidentApproval]),
    ]

    @Test("each form routes through exactly its steps, recorded at submission", arguments: sealUseCases + otherCases)
    func routes(_ row: Case) throws {
        var world = try Cast.world()
        let attachments = [Cast.attachment]
        try world.run(.submit(form: row.form, attachments: attachments), as: Cast.applicant)
        let application = world.application(world.lastApplicationId)
        #expect(application.route.map(\.step) == row.steps)
        #expect(application.route.allSatisfy { $0.role == $0.step.role && !$0.reason.isEmpty })
        #expect(application.status == .inReview && application.currentStep == 0)
    }

    @Test("department and leader steps are scoped to the applicant's department; abolition to the seal's")
    func scopes() throws {
        var world = try Cast.world()
        try world.run(.submit(form: Cast.sealUse([.steel]), attachments: [Cast.attachment]), as: Cast.otherApplicant)
        let route = world.application(world.lastApplicationId).route
        #expect(route.map(\.scope) == [Cast.materials, RoleGrant.schoolScope, Cast.materials])

        try world.run(.submit(form: Cast.abolition(Cast.seal(.department)), attachments: []), as: Cast.otherApplicant)
        let abolition = world.application(world.lastApplicationId).route
        #expect(abolition.first?.scope == Cast.computing)
    }

    @Test("each step says why it is there, in words a clerk understands")
    func reasons() throws {
        var world = try Cast.world()
        try world.run(.submit(form: Cast.sealUse([.contract], amount: 1_000_000, takeOut: true), attachments: [Cast.attachment]), as: Cast.applicant)
        let reasons = world.application(world.lastApplicationId).route.map(\.reason)
        #expect(reasons[1] == "合同金额 ≥ 20,000 元，需法律顾问审核")
        #expect(reasons[2] == "使用学校层面印章（合同专用章），需党政办审核")
        #expect(reasons[3] == "合同金额 ≥ 100,000 元、印章外带，需分管校领导审批")
        #expect(reasons[4] == "合同金额 ≥ 1,000,000 元，需校长审批")
    }

    @Test("a route recorded at submission does not change when the seal's category would now route otherwise")
    func routeIsRecorded() throws {
        var world = try Cast.world()
        try world.run(.submit(form: Cast.sealUse([.department]), attachments: [Cast.attachment]), as: Cast.applicant)
        let id = world.lastApplicationId
        world.state.seals[Cast.seal(.department)]?.category = .administrative
        #expect(world.application(id).route.map(\.step) == [.deptHead])
    }

    @Test("amounts print with thousands separators")
    func yuan() {
        #expect(Routing.yuan(0) == "0")
        #expect(Routing.yuan(999) == "999")
        #expect(Routing.yuan(1000) == "1,000")
        #expect(Routing.yuan(1_000_000) == "1,000,000")
    }
}
