import Foundation
import Testing
import TestSupport

@testable import Events

@Suite("Concurrency")
struct LogConcurrencyTests {
    @Test("many tasks appending the same version of one stream: exactly one wins each version")
    func oneWinnerPerVersion() async throws {
        try await withTemporaryLog { (log: EventLog) async throws in
            for version in 0..<20 as Range<UInt64> {
                let winners = try await withThrowingTaskGroup(of: Int?.self) { group in
                    for task in 0..<32 {
                        group.addTask {
                            do {
                                let expected: ExpectedVersion = version == 0 ? .noStream : .exactly(version)
                                _ = try await log.append(
                                    request([event("race", "\(version)-\(task)")], expecting: ["race": expected]))
                                return task
                            } catch LogError.wrongExpectedVersion(_, _, let actual) {
                                #expect(actual == version + 1)
                                return nil
                            }
                        }
                    }
                    return try await group.reduce(into: [Int]()) { if let task = $1 { $0.append(task) } }
                }
                #expect(winners.count == 1, "version \(version + 1)")
            }
            let stream = try log.stream("race")
            #expect(stream.map(\.streamVersion) == Array(1...20))
            #expect(log.head.position == 20)
        }
    }

    @Test("appenders that retry on conflict lose nothing and duplicate nothing; idempotent retries append nothing")
    func retryingAppenders() async throws {
        try await withTemporaryLog { (log: EventLog) async throws in
            let appenders = 16
            let appendsEach = 25
            try await withThrowingTaskGroup(of: Void.self) { group in
                for appender in 0..<appenders {
                    group.addTask {
                        for index in 0..<appendsEach {
                            let label = "\(appender)-\(index)"
                            var sent: (AppendRequest, AppendResult)?
                            while sent == nil {
                                let version = try log.version(of: "shared")
                                let attempt = request(
                                    [event("shared", label)], expecting: ["shared": .exactly(version)], key: label)
                                do {
                                    sent = (attempt, try await log.append(attempt))
                                } catch LogError.wrongExpectedVersion {
                                    continue
                                }
                            }
                            // A client that lost the answer sends the same request again.
                            let (original, result) = try #require(sent)
                            let retry = try await log.append(original)
                            #expect(retry == AppendResult(positions: result.positions, isDuplicate: true))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let labels = try log.stream("shared").compactMap(label)
            #expect(labels.count == appenders * appendsEach)
            #expect(Set(labels).count == labels.count)
            #expect(log.head.position == UInt64(appenders * appendsEach))
            #expect(try log.verify().ok)
        }
    }
}
