import Hummingbird
import Logging

/// Counts every request by route and status, times it, and logs one structured line per request — method, route,
/// status, milliseconds — never a body: the descriptions are medical data. The line is at debug level (a loaded
/// server answers thousands a second); a 5xx is a warning.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServeMetrics


    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let route = ServeMetrics.routes.contains(request.uri.path) ? request.uri.path : "other"
        var status = 500
        defer {
            let elapsed = start.duration(to: .now)
            metrics.recordRequest(route: route, status: status, duration: elapsed)
            let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) * 1e-15
            context.logger.log(level: status >= 500 ? .warning : .debug, "request", metadata: [
                "method": .string(request.method.rawValue), "route": .string(route),
                "status": .stringConvertible(status), "ms": .string(String(format: "%.2f", milliseconds)),
            ])
        }
        do {
            let response = try await next(request, context)
            status = response.status.code
            return response
        } catch let error as any HTTPResponseError {
            status = error.status.code
            throw error
        }
    }
}
