import Foundation

/// Every fact seal-hall records. The case name, capitalised, is the event's type name in the log.
///
/// Indirect: each payload lives in a box of its own, so that an event is a pointer wide rather than as wide as its
/// largest payload (232 bytes with its record), which a rebuild copied for every model it lent an event to.
public indirect enum DomainEvent: Sendable, Equatable {
    case departmentCreated(DepartmentCreated)
    case accountRegistered(AccountRegistered)
    case accountActivated(AccountRef)
    case passwordChanged(AccountRef)
    case roleGranted(RoleChanged)
    case roleRevoked(RoleChanged)
    case itemPublished(ItemPublished)
    case itemEdited(ItemEdited)
    case itemOnlineChanged(ItemOnlineChanged)
    case itemWithdrawn(ItemRef)
    case itemVisited(ItemRef)
    case applicationSubmitted(ApplicationSubmitted)
    case applicationResubmitted(ApplicationSubmitted)
    case stepApproved(StepDecided)
    case stepRejected(StepDecided)
    case stepReturned(StepDecided)
    case applicationApproved(ApplicationRef)
    case applicationWithdrawn(ApplicationAction)
    case applicationCancelled(ApplicationAction)
    case applicationCompleted(ApplicationRef)
    case fulfilmentRefused(FulfilmentRefused)
    case sealAffixed(SealAffixed)
    case sealCheckedOut(SealMovement)
    case sealCheckedIn(SealMovement)
    case sealRegistered(SealRegistered)
    case sealFiled(SealFiled)
    case sealMade(SealMade)
    case sealActivated(SealActivated)
    case sealSuspended(SealSuspended)
    case sealHandedIn(SealHandedIn)
    case sealSealedUp(SealSealedUp)
    case sealDestroyed(SealDestroyed)
    case sealReportedLost(SealReportedLost)
    case sealCustodianChanged(SealCustodianChanged)
    case lostSealAbolished(LostSealAbolished)
    case letterIssued(LetterIssued)
    case letterReturnedUnused(LetterChanged)
    case letterVoided(LetterChanged)
    case letterReportedLost(LetterChanged)
    case certificateCopiesProvided(CertificateCopiesProvided)
    case certificateLent(CertificateLent)
    case certificateReturned(CertificateReturned)
}

/// A domain event as the log recorded it: with who caused it, when, and where it stands.
public struct RecordedEvent: Sendable, Equatable {
    public var event: DomainEvent
    public var actor: String
    public var recordedAt: Date
    public var position: UInt64

    public init(event: DomainEvent, actor: String, recordedAt: Date, position: UInt64) {
        self.event = event
        self.actor = actor
        self.recordedAt = recordedAt
        self.position = position
    }
}
