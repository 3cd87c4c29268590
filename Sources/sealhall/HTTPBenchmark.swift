import Events
import Foundation
import Hummingbird
import Logging
import Server
import ServiceLifecycle

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The HTTP service's benchmark, with load from `wrk` over loopback against the release server in this same
/// process: a bare constant route as the baseline, then the portal's figures, a personal queue with a bearer
/// token, and durable commands from 64 connections — submissions and, for each submission answered, the
/// department head's approval of it. Each figure is divided by the baseline of the same run; the baseline and the
/// commands also report the server's CPU time per request, the steadier figure to compare builds by.
///
/// The baseline and the commands are measured in `rounds` alternating rounds and reported as medians (the ratio as
/// the median of each round's own ratio): the machine's speed drifts within a run, and a baseline measured a
/// minute before the commands it divides read the drift as much as the server.
struct HTTPBenchmark {
    let scratch: String
    let seconds: Int
    let rounds: Int

    func run() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else {
            throw ValidationFailure("wrk is missing: apt-get install -y wrk (scripts/ensure-deps.sh --bench does it)")
        }
        let directory = scratch + "/http"
        try? FileManager.default.removeItem(atPath: directory)
        let store = try await HallStore.open(directory: directory)
        _ = try await Bootstrap(adminPassword: "bench-admin-password", seedsDirectory: "./seeds").run(on: store)
        let router = HallServer.router(store: store, metrics: HallMetrics())
        router.get("/hello") { _, _ in "hello" }
        let port = PortSignal()
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.set(channel.localAddress?.port ?? 0) }, logger: logger)
        // Run as a service so that the end of the benchmark is a graceful shutdown, not a cancellation.
        let group = ServiceGroup(configuration: .init(services: [.init(service: app)], logger: logger))
        let server = Task { try await group.run() }
        let base = "http://127.0.0.1:\(await port.value)"
        let token = try await login(base, account: "20010001")
        let deptHead = try await login(base, account: "20010002")
        let mix = try mixScript(applicant: token, deptHead: deptHead)
        var hellos = [Load](), commands = [Load]()
        for round in 1...max(rounds, 1) {
            let hello = try await wrk(base + "/hello")
            hellos.append(hello)
            if round == 1 {
                let stats = try await wrk(base + "/api/portal/stats")
                report("http_stats", stats.rate, "requests/s")
                report("http_stats_ratio", stats.rate / hello.rate, "x")
                let todo = try await wrk(base + "/api/tasks", script: script(method: "GET", token: token, body: nil))
                report("http_todo", todo.rate, "requests/s")
            }
            let load = try await wrk(base, script: mix)
            guard let decided = load.decidedShare, decided > 0.3 else {
                throw ValidationFailure("the command mix made too few decisions: \(load.decidedShare ?? 0)")
            }
            commands.append(load)
            print(
                "round \(round): hello \(Int(hello.rate))/s (\(Int(hello.cpuMicroseconds)) us), commands "
                    + "\(Int(load.rate))/s (\(Int(load.cpuMicroseconds)) us, p99 \(load.p99Milliseconds) ms), ratio "
                    + String(format: "%.3f", load.rate / hello.rate))
        }
        report("http_hello", median(hellos.map(\.rate)), "requests/s")
        report("http_hello_cpu", median(hellos.map(\.cpuMicroseconds)), "us/request")
        report("http_commands", median(commands.map(\.rate)), "commands/s")
        report("http_commands_decided_share", median(commands.compactMap(\.decidedShare)), "x")
        report("http_commands_p99", median(commands.map(\.p99Milliseconds)), "ms")
        report("http_commands_ratio", median(zip(commands, hellos).map { $0.rate / $1.rate }), "x")
        report("http_commands_cpu", median(commands.map(\.cpuMicroseconds)), "us/command")
        await group.triggerGracefulShutdown()
        _ = await server.result
        await store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    static let letter = """
        {"kind":"letter","form":{"letterType":"administrative","persons":[{"name":"张瑞雪","title":"科长","idNumber":"2301**********2026"}],\
        "destination":"黑龙江省科学技术厅","matter":"联系项目申报事宜","validDays":7,"important":false}}
        """

    private func login(_ base: String, account: String) async throws -> String {
        var request = URLRequest(url: URL(string: base + "/api/session")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"account":"\#(account)","password":"\#(Bootstrap(adminPassword: nil, seedsDirectory: nil).demoPassword)"}"#.utf8)
        // Without cookies: a session cookie from the first login would make the next a cookie request, which needs CSRF.
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        let (data, _) = try await URLSession(configuration: configuration).data(for: request)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any], let token = object["token"] as? String
        else { throw ValidationFailure("login failed: \(String(decoding: data, as: UTF8.self))") }
        return token
    }

    /// A wrk Lua script sending `method` with the bearer token and `body`.
    private func script(method: String, token: String, body: String?) throws -> String {
        var lines = ["wrk.method = \"\(method)\"", "wrk.headers[\"Authorization\"] = \"Bearer \(token)\""]
        if let body {
            lines.append("wrk.headers[\"Content-Type\"] = \"application/json\"")
            lines.append("wrk.body = [==[\(body)]==]")
        }
        let path = scratch + "/\(method.lowercased())-\(abs(token.hashValue)).lua"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A wrk Lua script mixing durable commands: each thread sends a letter submission as the applicant, and
    /// for each submission answered, the department head's approval of it (with the version answered) as one of
    /// its next requests. Its `done` prints how many of each were answered.
    private func mixScript(applicant: String, deptHead: String) throws -> String {
        let script = """
            local submission, decision
            local pending = {}
            submitted, decided = 0, 0
            -- Built once wrk has set the Host header: the submission whole, a decision as a format to fill in
            -- with the application's id and the body (cheaper than wrk.format for every request).
            init = function(args)
              submission = wrk.format("POST", "/api/applications", {
                ["Authorization"] = "Bearer \(applicant)", ["Content-Type"] = "application/json" }, [==[\(Self.letter)]==])
              decision = "POST /api/applications/%s/decision HTTP/1.1\\r\\nHost: " .. wrk.headers["Host"]
                .. "\\r\\nAuthorization: Bearer \(deptHead)\\r\\nContent-Type: application/json"
                .. "\\r\\nContent-Length: %d\\r\\n\\r\\n%s"
            end
            request = function()
              local application = table.remove(pending)
              if application == nil then return submission end
              local body = '{"decision":"approve","comment":"同意","expectedVersion":' .. application.version .. '}'
              return decision:format(application.id, #body, body)
            end
            -- Plain finds, not patterns: a pattern tried at every byte of the 900-byte answer cost wrk more CPU
            -- than the rest of its work on a command, taken from the server it shares the cores with.
            local function after(body, field, from)
              local start = body:find(field, from, true) or body:find(field, 1, true)
              return start and start + #field
            end
            response = function(status, headers, body)
              if status == 201 then
                submitted = submitted + 1
                local id = after(body, '"id":"', 1)
                -- The answer's fields come in name order: its version last.
                local version = after(body, '"version":', math.max(1, #body - 32))
                table.insert(pending, { id = body:sub(id, body:find('"', id, true) - 1), version = body:match('^%d+', version) })
              elseif status == 200 then
                decided = decided + 1
              end
            end
            local threads = {}
            setup = function(thread) table.insert(threads, thread) end
            done = function(summary, latency, requests)
              local s, d = 0, 0
              for _, thread in ipairs(threads) do s = s + thread:get("submitted"); d = d + thread:get("decided") end
              io.write(string.format("mix submitted=%d decided=%d\\n", s, d))
            end
            """
        let path = scratch + "/mix.lua"
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    struct Load {
        var rate: Double
        var p99Milliseconds: Double
        /// The server's CPU time (user and system, of this process) per request answered: steadier from hour to
        /// hour than the rates, which move with the machine's speed and with what else runs on it.
        var cpuMicroseconds: Double
        /// For the command mix: the share of answered commands that were decisions.
        var decidedShare: Double?
    }

    /// Runs wrk with 2 threads and 64 connections for `seconds`, after a 2-second warm-up.
    private func wrk(_ url: String, script: String? = nil) async throws -> Load {
        _ = try await run(["-t2", "-c64", "-d2s"] + (script.map { ["-s", $0] } ?? []) + [url])
        let cpuBefore = Self.processCPUSeconds()
        let output = try await run(["-t2", "-c64", "-d\(seconds)s", "--latency"] + (script.map { ["-s", $0] } ?? []) + [url])
        let cpu = Self.processCPUSeconds() - cpuBefore
        guard output.contains("Requests/sec:"), !output.contains("Non-2xx") else { throw ValidationFailure("wrk: \(output)") }
        let rate = output.split(separator: "\n").first { $0.contains("Requests/sec:") }
            .flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
        let p99 = output.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("99%") }
            .map { Self.milliseconds(String($0.split(separator: " ").last ?? "")) } ?? 0
        let mix = output.split(separator: "\n").first { $0.hasPrefix("mix ") }.map { line in
            line.split(separator: " ").dropFirst().map { Double($0.split(separator: "=").last ?? "") ?? 0 }
        }
        let decidedShare = mix.flatMap { $0.count == 2 && $0[0] + $0[1] > 0 ? $0[1] / ($0[0] + $0[1]) : nil }
        let answered = output.split(separator: "\n").first { $0.contains(" requests in ") }
            .flatMap { Double($0.split(separator: " ").first ?? "") } ?? 0
        return Load(
            rate: rate, p99Milliseconds: p99, cpuMicroseconds: answered > 0 ? cpu / answered * 1_000_000 : 0,
            decidedShare: decidedShare)
    }

    /// The CPU time this process has used so far, user and system, in seconds.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let seconds = { (time: timeval) in Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func milliseconds(_ text: String) -> Double {
        for (suffix, factor) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where text.hasSuffix(suffix) {
            return (Double(text.dropLast(suffix.count)) ?? 0) * factor
        }
        return 0
    }

    /// Runs wrk and waits for it on a thread of its own: waiting on a thread of the concurrency pool, which
    /// has one thread per core, would take that thread from the server being measured.
    private func run(_ arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try Self.runBlocking(arguments) }) }.start()
        }
    }

    private static func runBlocking(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

/// The port the server bound, once it runs.
final class PortSignal: Sendable {
    private let stream: AsyncStream<Int>
    private let continuation: AsyncStream<Int>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Int.self)
    }

    func set(_ port: Int) { continuation.yield(port) }

    var value: Int {
        get async {
            for await port in stream { return port }
            return 0
        }
    }
}

/// A benchmark that cannot run, and why.
struct ValidationFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
