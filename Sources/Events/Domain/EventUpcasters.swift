/// The upcasters of domain events: each reads a payload of an older schema version (binary as stored, or JSON
/// as exported) and writes it in the next version's binary form. Stored entries are never rewritten.
enum EventUpcasters {
    static let all = [sealAffixedV1, applicationCompletedV1]

    /// `SealAffixed` v1 counted impressions as `count` and did not list the approvers; v2 names it `impressions`
    /// and lists the approvers (unknown for v1 records: none).
    static let sealAffixedV1 = Upcaster(type: "SealAffixed", fromVersion: 1) { payload in
        struct Version1: Decodable {
            var applicationId: String
            var seal: String
            var count: Int
            var scan: String?
            var by: String
            var applicant: String
            var departmentId: String
            var documentTitle: String
            var reason: String
        }
        let old = try EventCodec.PayloadBytes.decode(Version1.self, from: payload)
        return try BinaryEncoder().encode(
            SealAffixed(
                applicationId: old.applicationId, seal: old.seal, impressions: old.count, scan: old.scan, by: old.by,
                applicant: old.applicant, departmentId: old.departmentId, documentTitle: old.documentTitle,
                reason: old.reason, approvers: []))
    }

    /// `ApplicationCompleted` v1 named the application `application`; v2 names it `applicationId`.
    static let applicationCompletedV1 = Upcaster(type: "ApplicationCompleted", fromVersion: 1) { payload in
        struct Version1: Decodable {
            var application: String
        }
        let old = try EventCodec.PayloadBytes.decode(Version1.self, from: payload)
        return try BinaryEncoder().encode(ApplicationRef(applicationId: old.application))
    }
}
