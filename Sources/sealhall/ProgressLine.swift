import Foundation
import Synchronization

/// One line, redrawn in place: `queues  [#####-----]  52%  1234/2373  1234567 events/s  ETA 3 s`.
///
/// Redrawn at most ten times a second, and always when the work is done: a history of a million events asks
/// far more often than a terminal (or a log file that keeps every redraw) should be written to.
enum ProgressLine {
    private static let lastShown = Mutex<ContinuousClock.Instant?>(nil)
    private static let interval = Duration.milliseconds(100)

    static func show(
        name: String, done: UInt64, total: UInt64, since start: ContinuousClock.Instant, unit: String = "events"
    ) {
        let now = ContinuousClock.now
        let due = lastShown.withLock { last in
            guard done >= total || last.map({ now - $0 >= interval }) ?? true else { return false }
            last = now
            return true
        }
        guard due else { return }
        let fraction = total == 0 ? 1 : min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let elapsed = seconds(since: start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - min(done, total)) / rate : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        print(
            "\r\(name)  [\(bar)]  \(Int(fraction * 100))%  \(done)/\(total)  \(Int(rate)) \(unit)/s  ETA \(Int(eta.rounded())) s",
            terminator: "")
        fflush(nil)
    }
}
