import ArgumentParser
// Imported for its link alone: the process allocates through jemalloc instead of glibc's malloc (README, "Why
// jemalloc").
import CJemalloc

/// The `sealhall` command: the service and its operator tools.
@main
struct SealHall: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sealhall",
        abstract: "seal-hall: 印章管理网上办事大厅 — the event-sourced service and its tools.",
        subcommands: [ServeCommand.self, SeedCommand.self, DemoCommand.self, LogCommand.self, ProjectionsCommand.self, AuditCommand.self, BenchCommand.self])
}
