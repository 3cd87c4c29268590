import Events
import Foundation

/// One line of an application's timeline: who did what, when, with which comment.
struct TimelineEntry: Encodable, Sendable {
    var position: UInt64
    var at: Date
    var type: String
    var actor: String
    var actorName: String
    /// What happened, in Chinese (`科技处处长 同意（部门负责人审核）`).
    var action: String
    var comment: String?
}

/// Reads an application's timeline from the log's tag index: every entry that concerns the application, in log
/// order, narrated. Reading the log happens first, outside the decider's lock; naming people and seals needs
/// the state and happens under it.
enum Timeline {
    static func events(of applicationId: String, log: EventLog) throws -> [RecordedEvent] {
        try log.tagged("application:\(applicationId)").map(CommandProcessor.recorded(from:))
    }

    static func entries(_ events: [RecordedEvent], state: HallState) -> [TimelineEntry] {
        events.map { recorded in
            let (action, comment) = narrate(recorded.event, state: state)
            return TimelineEntry(
                position: recorded.position, at: recorded.recordedAt, type: EventCodec.typeName(of: recorded.event),
                actor: recorded.actor,
                actorName: state.accounts[recorded.actor]?.name ?? (recorded.actor == "system" ? "系统" : recorded.actor),
                action: action, comment: comment)
        }
    }

    static func narrate(_ event: DomainEvent, state: HallState) -> (String, String?) {
        func seal(_ id: String) -> String { state.seals[id]?.name ?? id }
        switch event {
        case .applicationSubmitted: return ("提交申请", nil)
        case .applicationResubmitted: return ("修改后重新提交", nil)
        case .stepApproved(let step): return ("同意（\(step.step.title)）", step.comment)
        case .stepRejected(let step): return ("不同意（\(step.step.title)）", step.comment)
        case .stepReturned(let step): return ("退回修改（\(step.step.title)）", step.comment)
        case .applicationApproved: return ("审批通过", nil)
        case .applicationWithdrawn(let action): return ("撤回申请", action.comment)
        case .applicationCancelled(let action): return ("取消申请", action.comment)
        case .applicationCompleted: return ("办结", nil)
        case .fulfilmentRefused(let refused): return ("拒绝用印：\(seal(refused.seal))", refused.comment)
        case .sealAffixed(let affixed): return ("盖章：\(seal(affixed.seal)) \(affixed.impressions) 处", nil)
        case .sealCheckedOut(let movement): return ("印章外借：\(seal(movement.seal))", nil)
        case .sealCheckedIn(let movement): return ("印章归还：\(seal(movement.seal))", nil)
        case .sealRegistered(let registered): return ("登记新印章：\(registered.name)", nil)
        case .sealFiled(let filed): return ("公安备案：\(filed.filingNumber)", nil)
        case .sealMade(let made): return ("刻制完成：\(made.maker)", nil)
        case .sealActivated(let activated): return ("印章启用：\(seal(activated.seal))，通知文号 \(activated.noticeNumber)", nil)
        case .sealSuspended(let suspended): return ("印章停用：\(seal(suspended.seal))", suspended.reason)
        case .sealHandedIn(let handedIn): return ("印章上交：\(handedIn.handedInBy) 交 \(handedIn.receivedBy)", nil)
        case .sealSealedUp(let sealedUp): return ("印章封存于 \(sealedUp.location)", nil)
        case .lostSealAbolished(let abolished): return ("遗失印章废止：\(seal(abolished.seal))", nil)
        case .letterIssued(let issued): return ("开具介绍信 \(issued.letter.number)", nil)
        case .certificateCopiesProvided(let provided): return ("提供复印件 \(provided.copies) 份", nil)
        case .certificateLent(let lent): return ("借出原件，应于 \(HallJSON.format(lent.dueBack)) 前归还", nil)
        case .certificateReturned(let returned): return ("原件归还", returned.comment)
        default: return (EventCodec.typeName(of: event), nil)
        }
    }
}
