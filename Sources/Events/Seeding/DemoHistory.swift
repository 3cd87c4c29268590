import Foundation

/// A realistic, deterministic history for demonstrations and benchmarks: `applications` applications of the five
/// kinds, played by the seeded cast through the ordinary commands, of which `finished` end (completed, rejected
/// or cancelled) and the rest stand somewhere in progress (in review at some step, returned, approved and
/// waiting for the keeper or the office). With 1,578 applications the portal shows the real hall's figures:
/// 1,254 in progress, 324 completed.
///
/// The same seed plays the same commands with the same outcomes; the times are those of the run.
public struct DemoHistory: Sendable {
    public var seed: UInt64
    public var applications: Int
    /// The share of applications that end; by default the real hall's, 324 of 1,578.
    public var finishedShare: Double

    public init(seed: UInt64, applications: Int, finishedShare: Double = 324.0 / 1578) {
        self.seed = seed
        self.applications = applications
        self.finishedShare = finishedShare
    }

    /// The applications that end.
    public var finished: Int { Int((Double(applications) * finishedShare).rounded()) }

    static let applicants = ["20010001", "20010011"]

    /// Plays the history on `processor`, whose store holds the seeds; `progress` hears (done, total).
    public func play(on processor: CommandProcessor, progress: (Int, Int) -> Void = { _, _ in }) async throws {
        var random = DemoRandom(seed: seed)
        let seals = processor.withState { $0.seals.values.filter { $0.status == .active }.map(\.id).sorted() }
        guard !seals.isEmpty, processor.withState({ !$0.officeReviewers.isEmpty }) else { throw DemoError.notSeeded }
        for index in 0..<applications {
            let story = DemoStory(ends: index < finished, random: &random, seals: seals, now: Date())
            try await story.play(on: processor, random: &random)
            progress(index + 1, applications)
        }
    }
}

/// Why a demo history could not be played.
public enum DemoError: Error, CustomStringConvertible {
    case notSeeded
    case stuck(String)

    public var description: String {
        switch self {
        case .notSeeded: "the store holds no seeds: run `sealhall seed` first"
        case .stuck(let reason): "the demo history got stuck: \(reason)"
        }
    }
}

/// SplitMix64: a small generator whose sequence depends only on its seed.
struct DemoRandom {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}
