import Events
import Foundation
import Metrics
import Projections
import Prometheus
import Synchronization

/// The hall's metrics: swift-metrics instruments created with the hall's own Prometheus factory (not the
/// process-global one, so several halls in one test process stay apart), rendered as Prometheus text.
///
/// - `http_requests_total{method,route,status}` and `http_request_duration_seconds{method,route}`;
/// - `sealhall_commands_total{command,outcome}`;
/// - at scrape time: `sealhall_log_position`, `sealhall_commit_batches_total`, `sealhall_commit_units_total`
///   (units per batch is the group-commit size), and `sealhall_projection_lag{projection}`.
public final class HallMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    public init() {
        factory = PrometheusMetricsFactory(registry: registry)
    }

    /// The instruments of one route and status, and the counter of each command and outcome, each made once:
    /// making one looks it up in the registry.
    private let requestInstruments = Mutex<[String: (count: Metrics.Counter, duration: Metrics.Timer)]>([:])
    private let commandCounters = Mutex<[String: Metrics.Counter]>([:])

    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        let instruments = Self.madeOnce("\(method) \(route) \(status)", in: requestInstruments) {
            (
                Counter(label: "http_requests_total", dimensions: [("method", method), ("route", route), ("status", "\(status)")],
                    factory: factory),
                Timer(label: "http_request_duration_seconds", dimensions: [("method", method), ("route", route)],
                    factory: factory)
            )
        }
        instruments.count.increment()
        instruments.duration.recordNanoseconds(duration.nanoseconds)
    }

    func recordCommand(_ name: String, outcome: String) {
        Self.madeOnce("\(name) \(outcome)", in: commandCounters) {
            Counter(label: "sealhall_commands_total", dimensions: [("command", name), ("outcome", outcome)], factory: factory)
        }.increment()
    }

    /// The value `made` under `key`, made by `make` the first time it is asked for.
    private static func madeOnce<Value>(_ key: String, in made: borrowing Mutex<[String: Value]>, _ make: () -> Value)
        -> Value
    {
        made.withLock { made in
            if let value = made[key] { return value }
            let value = make()
            made[key] = value
            return value
        }
    }

    /// The Prometheus text of every metric, with the store's gauges read now.
    func render(store: HallStore) -> String {
        let head = store.log.head.position
        Gauge(label: "sealhall_log_position", factory: factory).record(Double(head))
        let counts = store.log.writerCounts
        Gauge(label: "sealhall_commit_batches_total", factory: factory).record(Double(counts.batches))
        Gauge(label: "sealhall_commit_units_total", factory: factory).record(Double(counts.units))
        for status in (try? store.engine.statuses()) ?? [] {
            Gauge(label: "sealhall_projection_lag", dimensions: [("projection", status.name)], factory: factory)
                .record(Double(head - min(head, status.position)))
        }
        return registry.emitToString()
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
