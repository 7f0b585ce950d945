import Foundation
import PipeCore
import PipeMLflow

/// Where a project's runs are tracked: the MLflow server and experiment, from `MLFLOW_TRACKING_URI` /
/// `MLFLOW_EXPERIMENT_NAME` (the variables MLflow users already set, which win) or the config's
/// `tracking: {mlflow: {uri, experiment}}`. Tracking is off when neither names a URI.
public struct TrackingSettings: Sendable, Equatable {
    /// The server.
    public var endpoint: MLflowEndpoint
    /// The MLflow experiment runs go to (default: the repository directory's name).
    public var experiment: String
    /// The project's name, tagged on every run (`pipe.project`) so `exp show --mlflow` finds this project's runs.
    public var project: String

    /// The settings for `workspace`, nil when tracking is off.
    ///
    /// - Throws: `.invalidValue` (exit 2) for a URI that is not http(s), naming where it came from.
    public static func resolve(in workspace: Workspace,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> TrackingSettings? {
        let config = try ProjectConfig.load(in: workspace)
        let fromEnvironment = environment["MLFLOW_TRACKING_URI"].flatMap { $0.isEmpty ? nil : $0 }
        guard let uri = fromEnvironment ?? config.mlflowURI else { return nil }
        let endpoint: MLflowEndpoint
        do {
            endpoint = try MLflowEndpoint(uri: uri)
        } catch {
            throw PipeError(.invalidValue, "\(error)",
                            fix: fromEnvironment != nil ? "fix or unset MLFLOW_TRACKING_URI"
                                                        : "fix tracking.mlflow.uri in .pipe/config",
                            keyPath: fromEnvironment != nil ? nil : "tracking.mlflow.uri")
        }
        let project = workspace.root.lastPathComponent
        let experiment = environment["MLFLOW_EXPERIMENT_NAME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? config.mlflowExperiment ?? project
        return TrackingSettings(endpoint: endpoint, experiment: experiment, project: project)
    }
}
