import ArgumentParser
import Events
import Foundation
import Logging
import Server

/// `sealhall serve`: the hall's HTTP service on the store at `--data`, bootstrapped when new (the `admin`
/// account, then `seeds/` unless `--no-seed`). SIGTERM or SIGINT stop it cleanly.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the API and the portal from the store (creating it when absent).")
    @OptionGroup var store: StoreOptions
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on (0: any free port).") var port = 8080
    @Option(help: "The seeds directory loaded into a new store.") var seeds = "./seeds"
    @Flag(help: "Start a new store with only the admin account.") var noSeed = false

    func run() async throws {
        var logger = Logger(label: "seal-hall")
        logger.logLevel = ProcessInfo.processInfo.environment["SEALHALL_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
        let hall = try await HallStore.open(directory: store.data, logger: logger)
        let bootstrap = Bootstrap(
            adminPassword: ProcessInfo.processInfo.environment["SEALHALL_ADMIN_PASSWORD"],
            seedsDirectory: noSeed ? nil : seeds)
        let report: Bootstrap.Report
        do {
            report = try await bootstrap.run(on: hall)
        } catch {
            await hall.close()
            throw error
        }
        let host = self.host
        try await HallServer.run(store: hall, host: host, port: port, logger: logger) { port in
            Self.announce(report, url: "http://\(host):\(port)/", demoPassword: bootstrap.demoPassword)
        }
    }

    /// Prints the URL and the logins at once (unbuffered, so a script reading the output sees them).
    static func announce(_ report: Bootstrap.Report, url: String, demoPassword: String) {
        var lines = ["seal-hall 已启动：\(url)"]
        if let line = report.adminPasswordLine { lines.append(line) }
        if !report.demoAccounts.isEmpty {
            lines.append("演示账号（新建数据库时的密码均为 \(demoPassword)）：")
            lines += report.demoAccounts.map { "  \($0.account)  \($0.name)  \($0.roles)" }
        }
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}

extension Bootstrap.Report {
    /// The line that shows the generated admin password (once: it is not stored in the clear); nil when the
    /// password was given or the store was not new.
    var adminPasswordLine: String? {
        generatedAdminPassword.map { "管理员账号 admin，初始密码（只显示这一次）：\($0)" }
    }
}
