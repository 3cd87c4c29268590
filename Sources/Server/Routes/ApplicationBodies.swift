import Events
import Foundation

/// The JSON bodies of the application commands (API.md), decoded into the decider's commands.
enum ApplicationBodies {
    /// `{"kind","form":{…},"attachments":[…]}`: the form's fields are those of its kind.
    struct Submission: Decodable {
        var form: ApplicationForm
        var attachments: [Attachment]

        private enum CodingKeys: String, CodingKey { case kind, form, attachments }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let kind = try container.decode(ApplicationKind.self, forKey: .kind)
            let form = try container.superDecoder(forKey: .form)
            switch kind {
            case .sealUse: self.form = .sealUse(try SealUseForm(from: form))
            case .sealCarving: self.form = .sealCarving(try SealCarvingForm(from: form))
            case .sealAbolition: self.form = .sealAbolition(try SealAbolitionForm(from: form))
            case .letter: self.form = .letter(try LetterForm(from: form))
            case .certificate: self.form = .certificate(try CertificateRequestForm(from: form))
            }
            attachments = try container.decodeIfPresent([Attachment].self, forKey: .attachments) ?? []
        }
    }

    struct DecisionBody: Decodable {
        var decision: Decision
        var comment: String?
        var expectedVersion: Int
    }

    struct Action: Decodable {
        var expectedVersion: Int
        var comment: String?
    }

    /// `{"expectedVersion","form","attachments"?}`: the form of the application's own kind (`kind` is filled in
    /// before decoding when the client left it out).
    struct Resubmission: Decodable {
        var expectedVersion: Int
        var submission: Submission

        private enum CodingKeys: String, CodingKey { case expectedVersion }

        init(from decoder: any Decoder) throws {
            expectedVersion = try decoder.container(keyedBy: CodingKeys.self).decode(Int.self, forKey: .expectedVersion)
            submission = try Submission(from: decoder)
        }
    }

    /// `{"action","expectedVersion",…}` with the action's own fields.
    struct Fulfilment: Decodable {
        var action: FulfilmentAction
        var expectedVersion: Int

        private enum Keys: String, CodingKey {
            case action, expectedVersion, seal, impressions, scan, comment, copies, filingNumber, maker, imprint
            case noticeNumber, effectiveDate, handedInBy, receivedBy, location
        }

        private enum Name: String, Decodable {
            case affix, refuse, issue, lend, `return`, file, activate
            case checkOut = "check-out", checkIn = "check-in", provideCopies = "provide-copies"
            case recordMade = "record-made", handIn = "hand-in", sealUp = "seal-up"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            expectedVersion = try c.decode(Int.self, forKey: .expectedVersion)
            action = switch try c.decode(Name.self, forKey: .action) {
            case .affix:
                .affix(seal: try c.decode(String.self, forKey: .seal), impressions: try c.decode(Int.self, forKey: .impressions),
                    scan: try c.decodeIfPresent(String.self, forKey: .scan))
            case .refuse: .refuse(seal: try c.decode(String.self, forKey: .seal), comment: try c.decode(String.self, forKey: .comment))
            case .checkOut: .checkOut(seal: try c.decode(String.self, forKey: .seal))
            case .checkIn: .checkIn(seal: try c.decode(String.self, forKey: .seal))
            case .issue: .issue
            case .provideCopies: .provideCopies(copies: try c.decode(Int.self, forKey: .copies))
            case .lend: .lend
            case .return: .returnOriginals(comment: try c.decodeIfPresent(String.self, forKey: .comment))
            case .file: .file(filingNumber: try c.decode(String.self, forKey: .filingNumber))
            case .recordMade: .recordMade(maker: try c.decode(String.self, forKey: .maker))
            case .activate:
                .activate(
                    imprint: try c.decode(String.self, forKey: .imprint),
                    noticeNumber: try c.decode(String.self, forKey: .noticeNumber),
                    effectiveDate: try c.decode(Date.self, forKey: .effectiveDate))
            case .handIn:
                .handIn(handedInBy: try c.decode(String.self, forKey: .handedInBy), receivedBy: try c.decode(String.self, forKey: .receivedBy))
            case .sealUp: .sealUp(location: try c.decode(String.self, forKey: .location))
            }
        }
    }
}
