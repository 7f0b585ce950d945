import Foundation
import PipeCore
import PipeHTTP
import PipeMLflow

/// The commands' synchronous view of the tracking server: this project's runs (`pipe exp show --mlflow`) and
/// sending the backlog (`pipe exp push-tracking`).
public enum TrackingServer {
    /// This project's runs (tag `pipe.project`) in its MLflow experiment, newest first.
    ///
    /// - Throws: `PipeError` `.usage` when tracking is off, `.transferFailed` when the server cannot be asked.
    public static func runs(of workspace: Workspace, limit: Int = 100,
                            environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> (settings: TrackingSettings, runs: [MLflowRun]) {
        let settings = try required(workspace, environment: environment)
        let result = RunTracker.blocking(timeout: .seconds(30)) { () -> Result<[MLflowRun], MLflowError> in
            await withClient(settings, environment: environment) { client in
                do throws(MLflowError) {
                    let experiment = try await client.experimentID(named: settings.experiment)
                    let quoted = settings.project.replacingOccurrences(of: "'", with: "\\'")
                    return .success(try await client.searchRuns(experimentIDs: [experiment],
                                                                filter: "tags.\"pipe.project\" = '\(quoted)'",
                                                                maxResults: limit))
                } catch {
                    return .failure(error)
                }
            }
        }
        switch result {
        case .success(let runs)?: return (settings, runs)
        case .failure(let error)?: throw failure(error, settings)
        case nil: throw failure(.transport(.timedOut(target: settings.endpoint.display, reason: "30 s", attempts: 1)),
                                settings)
        }
    }

    /// Sends every backlogged run of `workspace` to the configured server.
    ///
    /// - Throws: `.usage` when tracking is off.
    public static func push(_ workspace: Workspace, environment: [String: String] = ProcessInfo.processInfo.environment,
                            report: @escaping @Sendable (String) -> Void) throws -> TrackingBacklog.PushReport {
        let settings = try required(workspace, environment: environment)
        let cacheRoot = workspace.cacheRoot
        return RunTracker.blocking(timeout: .seconds(600)) {
            await withClient(settings, environment: environment) { client in
                await TrackingBacklog(cacheRoot: cacheRoot).push(client: client, report: report)
            }
        } ?? TrackingBacklog.PushReport()
    }

    static func required(_ workspace: Workspace, environment: [String: String]) throws -> TrackingSettings {
        guard let settings = try TrackingSettings.resolve(in: workspace, environment: environment) else {
            throw PipeError(.usage, "tracking is not configured",
                            fix: "set MLFLOW_TRACKING_URI, or tracking: {mlflow: {uri: …}} in .pipe/config")
        }
        return settings
    }

    static func failure(_ error: MLflowError, _ settings: TrackingSettings) -> PipeError {
        PipeError(.transferFailed, error.description, fix: "check that the MLflow server at \(settings.endpoint.display) is running")
    }

    private static func withClient<T: Sendable>(_ settings: TrackingSettings, environment: [String: String],
                                                _ body: (MLflowClient) async -> T) async -> T {
        let transport = HTTPTransport(configuration: TrackingSender.transportConfiguration)
        let result = await body(MLflowClient(endpoint: settings.endpoint, transport: transport,
                                             auth: MLflowAuth.from(environment: environment)))
        try? await transport.shutdown()
        return result
    }
}
