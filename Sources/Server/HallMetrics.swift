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

    /// The instruments of one route and status, made once: making them looks them up in the registry.
    private let requestInstruments = Mutex<[String: (count: Metrics.Counter, duration: Metrics.Timer)]>([:])

    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        let key = "\(method) \(route) \(status)"
        let instruments = requestInstruments.withLock { made in
            if let instruments = made[key] { return instruments }
            let instruments = (
                Counter(label: "http_requests_total", dimensions: [("method", method), ("route", route), ("status", "\(status)")],
                    factory: factory),
                Timer(label: "http_request_duration_seconds", dimensions: [("method", method), ("route", route)],
                    factory: factory)
            )
            made[key] = instruments
            return instruments
        }
        instruments.count.increment()
        instruments.duration.recordNanoseconds(duration.nanoseconds)
    }

    /// The counter of each command and outcome, made once, as the requests' instruments are.
    private let commandCounters = Mutex<[String: Metrics.Counter]>([:])

    func recordCommand(_ name: String, outcome: String) {
        let key = "\(name) \(outcome)"
        let counter = commandCounters.withLock { made in
            if let counter = made[key] { return counter }
            let counter = Counter(
                label: "sealhall_commands_total", dimensions: [("command", name), ("outcome", outcome)], factory: factory)
            made[key] = counter
            return counter
        }
        counter.increment()
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
