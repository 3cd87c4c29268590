import Foundation
import Hummingbird
import Metrics

/// Counts requests and times them per route and status, through swift-metrics into the hall's own Prometheus
/// registry (`/metrics`).
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = HallContext
    let metrics: HallMetrics

    func handle(_ request: Request, context: HallContext, next: (Request, HallContext) async throws -> Response)
        async throws -> Response
    {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath ?? "unmatched"
        metrics.recordRequest(
            method: request.method.rawValue, route: route, status: response.status.code,
            duration: ContinuousClock.now - started)
        return response
    }
}
