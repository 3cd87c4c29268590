import Events
import Foundation
import TestSupport
import Testing

/// `sealhall serve` as an operator runs it: it prints its URL, serves, and on SIGTERM stops accepting, finishes
/// the commands in flight and closes the store, exiting 0.
@Suite struct ServeProcessTests {
    static var sealhallExecutable: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("sealhall").path
    }

    static func post(port: Int, path: String, token: String?, body: String) throws -> String {
        try send("POST", port: port, path: path, token: token, body: body)
    }

    /// Sends one request over a connection of its own and reads the whole answer.
    static func send(_ method: String, port: Int, path: String, token: String?, body: String = "") throws -> String {
        let authorization = token.map { "Authorization: Bearer \($0)\r\n" } ?? ""
        let request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\(authorization)"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        return try RawHTTP.read(port: port, request: request) { text in
            guard let split = text.range(of: "\r\n\r\n"), let length = text[..<split.lowerBound].split(separator: "\r\n")
                .first(where: { $0.lowercased().hasPrefix("content-length:") })
                .flatMap({ Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) })
            else { return false }
            return text[split.upperBound...].utf8.count >= length
        }
    }

    /// Starts `sealhall serve` on `directory` on a free port; returns once it printed its URL and the demo logins.
    static func launchServe(directory: String) async throws -> (process: Process, port: Int, banner: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sealhallExecutable)
        process.arguments = ["serve", "--data", directory, "--port", "0", "--seeds", FixtureScenarios.seedsDirectory]
        process.environment = ["SEALHALL_ADMIN_PASSWORD": "admin-password-1", "SEALHALL_LOG_LEVEL": "warning"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let banner = try await onOwnThread { () -> String in
            var text = ""
            while !text.contains("演示账号") || !text.hasSuffix("\n") {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            return text
        }
        let url = try #require(banner.split(separator: "\n").first { $0.hasPrefix("seal-hall 已启动：") })
        let port = try #require(Int(url.split(separator: ":").last?.trimmingCharacters(in: CharacterSet(charactersIn: "/")) ?? ""))
        return (process, port, banner)
    }

    /// Logs `account` in with the demo password; returns the bearer token.
    static func demoLogin(port: Int, account: String) throws -> String {
        let login = try post(port: port, path: "/api/session", token: nil, body: #"{"account":"\#(account)","password":"sealhall-demo"}"#)
        try #require(login.hasPrefix("HTTP/1.1 201") || login.hasPrefix("HTTP/1.1 200"), "login of \(account): \(login)")
        return try #require(login.split(separator: "\"token\":\"").last?.split(separator: "\"").first.map(String.init))
    }

    @Test func sigtermFinishesCommandsInFlightAndExitsCleanly() async throws {
        try await withTemporaryDirectory { directory in
            let (process, port, banner) = try await Self.launchServe(directory: directory)
            #expect(banner.contains("20010001  张瑞雪"))
            let token = try Self.demoLogin(port: port, account: "20010001")
            let body = String(decoding: try JSONSerialization.data(withJSONObject: StatusCodeTests.letter), as: UTF8.self)
            // Twenty submissions race the signal; every one answered 201 must be in the log afterwards.
            let answers = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<20 {
                    group.addTask { try? await onOwnThread { try Self.post(port: port, path: "/api/applications", token: token, body: body) } }
                }
                // The signal goes once the first is answered, while the others are in flight.
                var answers = [try await group.next() ?? nil].compactMap { $0 }
                kill(process.processIdentifier, SIGTERM)
                for try await answer in group { if let answer { answers.append(answer) } }
                return answers
            }
            process.waitUntilExit()
            #expect(process.terminationReason == .exit && process.terminationStatus == 0)
            let created = answers.filter { $0.hasPrefix("HTTP/1.1 201") }.compactMap { answer in
                answer.split(separator: "\"id\":\"").last?.split(separator: "\"").first.map(String.init)
            }
            #expect(!created.isEmpty, "the first answer was a 201")
            let log = try EventLog(directory: directory)
            let report = try log.verify()
            #expect(report.ok)
            let submitted = try log.entries(from: 1, limit: 10_000).filter { $0.type == "ApplicationSubmitted" }.count
            #expect(submitted >= created.count)
            for id in created {
                #expect(try !log.tagged("application:\(id)").isEmpty, "acknowledged \(id) is missing")
            }
            await log.close()
        }
    }
}
