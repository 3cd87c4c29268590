import Foundation
import TestSupport
import Testing

/// `sealhall demo generate`, then `sealhall serve` on the same store, as an operator shows the hall: the demo
/// accounts log in with the demo password and see the history that was played.
@Suite struct DemoStoreTests {
    @Test func demoAccountsLogInToAGeneratedStore() async throws {
        try await withTemporaryDirectory { directory in
            let generate = Process()
            generate.executableURL = URL(fileURLWithPath: ServeProcessTests.sealhallExecutable)
            generate.arguments = [
                "demo", "generate", "--data", directory, "--applications", "40", "--seeds", FixtureScenarios.seedsDirectory,
            ]
            generate.environment = ["SEALHALL_ADMIN_PASSWORD": "admin-password-1"]
            let output = Pipe()
            generate.standardOutput = output
            try generate.run()
            let printed = try await onOwnThread {
                String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            }
            generate.waitUntilExit()
            #expect(generate.terminationStatus == 0)
            #expect(printed.contains("总办件数量 40"))

            let (server, port, banner) = try await ServeProcessTests.launchServe(directory: directory)
            #expect(banner.contains("20010010  审计处审计员"))
            let token = try ServeProcessTests.demoLogin(port: port, account: "20010010")
            let list = try ServeProcessTests.send("GET", port: port, path: "/api/applications?scope=all&pageSize=1", token: token)
            #expect(list.hasPrefix("HTTP/1.1 200"))
            #expect(list.contains(#""total":40"#))
            kill(server.processIdentifier, SIGTERM)
            server.waitUntilExit()
            #expect(server.terminationReason == .exit && server.terminationStatus == 0)
        }
    }
}
