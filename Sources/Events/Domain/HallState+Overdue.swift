import Foundation

extension HallState {
    /// Seals out with a take-out application past its return time, at `time`.
    public func overdueSeals(at time: Date) -> [Seal] {
        seals.values.filter { seal in
            guard seal.checkedOutFor != nil, let until = seal.checkedOutUntil else { return false }
            return time > until
        }.sorted { $0.id < $1.id }
    }

    /// Applications whose lent originals are not back and past their due date, at `time`.
    public func overdueLoans(at time: Date) -> [Application] {
        applications.values.filter { application in
            guard case .certificate(let form) = application.form, let due = form.dueBack,
                application.fulfilment.lentAt != nil, application.fulfilment.returnedAt == nil
            else { return false }
            return time > due
        }.sorted { $0.id < $1.id }
    }
}
