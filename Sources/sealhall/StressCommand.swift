import ArgumentParser
import Events
import Foundation

extension LogCommand {
    /// `sealhall log stress`: concurrent appenders through the real writer, each acknowledged append printed.
    ///
    /// Used by the crash-safety test (which kills it at random moments) and by operators who want to load a
    /// store. Each appender owns the stream `stress-N` and appends with the exact expected version.
    struct Stress: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Append from concurrent tasks; print `ack POSITION STREAM VERSION` after each durable append.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Concurrent appenders.") var appenders = 8
        @Option(help: "Appends per appender.") var count = 1000

        func run() async throws {
            let log = try store.openLog()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for appender in 0..<appenders {
                    group.addTask {
                        let stream = "stress-\(appender)"
                        var version = try log.version(of: stream)
                        for _ in 0..<count {
                            let event = NewEvent(
                                stream: stream, type: "StressAppended", tags: ["stress", "appender:\(appender)"],
                                payload: Array(#"{"appender":\#(appender),"version":\#(version + 1)}"#.utf8))
                            let result = try await log.append(
                                AppendRequest(
                                    events: [event], expectations: [stream: .exactly(version)], actor: "stress",
                                    commandId: RandomCommandID.next()))
                            version += 1
                            // One write(2) of a short line: atomic on a pipe, so lines never interleave.
                            let line = "ack \(result.positions.lowerBound) \(stream) \(version)\n"
                            FileHandle.standardOutput.write(Data(line.utf8))
                        }
                    }
                }
                try await group.waitForAll()
            }
            await log.close()
        }
    }
}
