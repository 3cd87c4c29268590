import Foundation

/// Why the log refused or failed an operation.
public enum LogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An expectation on a stream's version did not hold; nothing of the append was written.
    case wrongExpectedVersion(stream: String, expected: ExpectedVersion, actual: UInt64)
    /// The idempotency key was used before for a different request.
    case idempotencyKeyReused(String)
    /// The request breaks a limit of the log (empty, too long, too many tags, …).
    case invalidRequest(String)
    /// The disk has no room for the commit; nothing of the batch was written.
    case diskFull
    /// A stored entry is not a well-formed record.
    case corruptEntry(position: UInt64)
    /// The log is closed.
    case closed
    /// LMDB failed in a way the log cannot recover from.
    case storage(LMDBError)

    public var description: String {
        switch self {
        case .wrongExpectedVersion(let stream, let expected, let actual):
            "stream \(stream) is at version \(actual), expected \(expected)"
        case .idempotencyKeyReused(let key): "idempotency key \(key) was used for a different request"
        case .invalidRequest(let reason): "invalid append: \(reason)"
        case .diskFull: "the disk is full; nothing was written"
        case .corruptEntry(let position): "entry \(position) is not a well-formed record"
        case .closed: "the log is closed"
        case .storage(let error): "storage failure: \(error)"
        }
    }
}

extension LogError {
    /// `error` as the log reports it: a full disk (or quota) as `diskFull`, any other LMDB or system failure as
    /// `storage`.
    init(reporting error: any Error) {
        switch error {
        case let error as LogError: self = error
        case let error as LMDBError where error.code == ENOSPC || error.code == EDQUOT: self = .diskFull
        case let error as LMDBError: self = .storage(error)
        default: self = .storage(LMDBError(code: EIO))
        }
    }
}
