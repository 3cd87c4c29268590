import Foundation
import Testing
import TestSupport

@testable import Events

@Suite("Crash safety")
struct LogCrashTests {
    /// The `sealhall` executable that SwiftPM built beside the test bundle.
    static var sealhallExecutable: String {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBinary.deletingLastPathComponent().appendingPathComponent("sealhall").path
    }

    /// Runs `sealhall log stress` on `directory`, kills it with SIGKILL once it has acknowledged `acks` appends,
    /// and returns every append it acknowledged: position → (stream, version).
    static func killWriter(in directory: String, afterAcks acks: Int) async throws -> [UInt64: (String, UInt64)] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sealhallExecutable)
        process.arguments = ["log", "stress", "--data", directory, "--appenders", "8", "--count", "1000000"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let reader = output.fileHandleForReading
        let text = try await onOwnThread {
            var received = Data()
            while received.count(where: { $0 == UInt8(ascii: "\n") }) < acks {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                received.append(chunk)
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            received.append(reader.readDataToEndOfFile())
            return String(decoding: received, as: UTF8.self)
        }
        #expect(process.terminationReason == .uncaughtSignal)
        var acknowledged = [UInt64: (String, UInt64)]()
        // A line cut short by the kill has no newline after it and is not counted.
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            let fields = line.split(separator: " ")
            guard fields.count == 4, fields[0] == "ack", let position = UInt64(fields[1]),
                let version = UInt64(fields[3])
            else {
                Issue.record("unexpected line \(line)")
                continue
            }
            acknowledged[position] = (String(fields[2]), version)
        }
        return acknowledged
    }

    @Test("a writer killed at random moments loses no acknowledged entry and leaves no partial one")
    func killedWriter() async throws {
        try await withTemporaryDirectory { directory in
            var acknowledged = [UInt64: (String, UInt64)]()
            var random = SystemRandomNumberGenerator()
            for round in 1...24 {
                let acks = Int.random(in: 1...300, using: &random)
                acknowledged.merge(try await Self.killWriter(in: directory, afterAcks: acks)) { $1 }

                let log = try EventLog(directory: directory)
                let head = log.head.position
                var positions = [UInt64]()
                var versions = [String: UInt64]()
                try log.forEachEntry(from: 1) { entry in
                    positions.append(entry.position)
                    // Each stream's versions follow on without a gap.
                    #expect(entry.streamVersion == versions[entry.stream, default: 0] + 1)
                    versions[entry.stream] = entry.streamVersion
                    if let (stream, version) = acknowledged[entry.position] {
                        #expect(entry.stream == stream && entry.streamVersion == version)
                    }
                }
                #expect(positions == Array((0..<head).map { $0 + 1 }), "round \(round): positions gapless")
                #expect(acknowledged.keys.allSatisfy { $0 <= head }, "round \(round): an acknowledged entry is lost")
                let report = try log.verify()
                #expect(report.ok && report.headPosition == head, "round \(round): \(report)")
                await log.close()
            }
            #expect(acknowledged.count >= 24)
        }
    }
}
