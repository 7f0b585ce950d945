import Foundation
import PipeBasics
import PipeCore
import PipeMLflow

/// A `pipe exp run` or `pipe repro --track` logged as one MLflow run: started before the first stage, fed the
/// repro events (reasons, step metrics relayed live from progress lines, failures), and finished with the params
/// of the stages that ran, the metrics files' numeric leaves, the plots' series as step histories, tags, and the
/// metrics files and rendered plots as artifacts.
public final class TrackedRepro: @unchecked Sendable {
    /// What is tracked: an experiment or a plain repro.
    public enum Kind: String, Sendable { case experiment = "exp", repro }

    /// The run's sending.
    public let tracker: RunTracker
    private let kind: Kind
    private let relay: StepMetrics
    private let lock = NSLock()
    private var reasons: [String: [InvalidationReason]] = [:]
    private var ran: [String] = []
    private var failed: [(stage: String, message: String)] = []
    private var liveSent: Set<String> = []

    /// This pipe's version, tagged on every run.
    public static let pipeVersion = "0.1.0"

    /// Starts tracking a run of `project` when tracking is configured; nil when it is off.
    ///
    /// - Parameters:
    ///   - name: the run's name now (an explicit experiment name, or a provisional one replaced at the end).
    ///   - report: prints a tracking problem (each at most once); tracking never throws after this.
    /// - Throws: `.invalidValue` for an unusable tracking URI (a config error, exit 2).
    public static func start(project: Project, kind: Kind, name: String?, now: Date = Date(),
                             environment: [String: String] = ProcessInfo.processInfo.environment,
                             report: @escaping @Sendable (String) -> Void) throws -> TrackedRepro? {
        guard let settings = try TrackingSettings.resolve(in: project.workspace, environment: environment) else { return nil }
        let root = project.workspace.root
        var tags = [MLflowKeyValue(key: "pipe.project", value: settings.project),
                    MLflowKeyValue(key: "pipe.kind", value: kind.rawValue),
                    MLflowKeyValue(key: "pipe.version", value: pipeVersion),
                    MLflowKeyValue(key: "mlflow.source.name", value: "pipe"),
                    MLflowKeyValue(key: "mlflow.source.type", value: "LOCAL")]
        if let user = user(in: environment) { tags.append(MLflowKeyValue(key: "mlflow.user", value: user)) }
        if let commit = GitRunner.headCommit(in: root) {
            tags.append(MLflowKeyValue(key: "mlflow.source.git.commit", value: commit))
        }
        let provisional = name ?? "\(kind.rawValue)-\(RunTracker.stamp(now))"
        let tracker = RunTracker(settings: settings, cacheRoot: project.workspace.cacheRoot, name: provisional,
                                 tags: tags, environment: environment, now: now, report: report)
        let specs = (try? PlotSpecReader(workspace: project.workspace)) ?? PlotSpecReader()
        return TrackedRepro(tracker: tracker, kind: kind, relay: StepMetrics(pipeline: project.pipeline, specs: specs))
    }

    init(tracker: RunTracker, kind: Kind, relay: StepMetrics) {
        self.tracker = tracker
        self.kind = kind
        self.relay = relay
    }

    /// Takes a repro event: remembers reasons, stages run and failures; relays step metrics at once.
    public func observe(_ event: ReproEvent) {
        switch event {
        case let .willRun(stage, reasons, dry) where !dry:
            lock.withLock { self.reasons[stage] = reasons }
        case let .restoredFromRunCache(stage, reasons):
            lock.withLock {
                self.reasons[stage] = reasons
                ran.append(stage)
            }
        case let .finished(stage, _, _):
            lock.withLock { ran.append(stage) }
        case let .failed(stage, error, _):
            lock.withLock { failed.append((stage, error.message)) }
        case let .progress(stage, _, _, message):
            let points = relay.points(stage: stage, message: message)
            guard !points.isEmpty else { return }
            let now = RunTracker.milliseconds(Date())
            lock.withLock { for p in points { liveSent.insert("\(p.key)@\(p.step)") } }
            tracker.enqueue(.log(MLflowBatch(metrics: points.map {
                MLflowMetric(key: $0.key, value: $0.value, timestamp: now, step: Int64($0.step))
            })))
        default:
            break
        }
    }

    /// How MLflow's own `start_run` ends a run: FINISHED, KILLED when interrupted (Ctrl-C, SIGTERM: its
    /// `KeyboardInterrupt`), FAILED for any other error.
    static func status(_ error: (any Error)?) -> MLflowRunStatus {
        guard let error else { return .finished }
        return (error as? PipeError)?.code == .interrupted ? .killed : .failed
    }

    /// The user MLflow's Python client records (`mlflow.user`, the UI's User column): `MLFLOW_TRACKING_USERNAME`,
    /// else `getpass.getuser()`, which reads LOGNAME, USER, LNAME, USERNAME in that order, then the password file.
    static func user(in environment: [String: String]) -> String? {
        ["MLFLOW_TRACKING_USERNAME", "LOGNAME", "USER", "LNAME", "USERNAME"].lazy.compactMap { environment[$0] }
            .first { !$0.isEmpty } ?? Optional(ProcessInfo.processInfo.userName).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Logs what the run produced, sets FINISHED (FAILED naming the failed stage, or KILLED, when `error` is set), and
    /// closes the run (waiting a bounded time for the server; the rest is kept as a backlog).
    ///
    /// - Parameter name: the run's final name (the experiment's), nil to keep the one it started with.
    @discardableResult
    public func finish(project: Project, name: String?, error: (any Error)?, now: Date = Date()) -> RunTracker.Closing {
        let (ran, reasons, failed, liveSent) = lock.withLock { (self.ran, self.reasons, self.failed, self.liveSent) }
        var content = TrackedContent(project: project, stagingDirectory: tracker.directory)
        content.addParams(of: ran)
        content.addMetrics()
        content.addSeries(skipping: liveSent, timestamp: RunTracker.milliseconds(now))
        content.addTags(ran: ran, reasons: reasons, graph: project.graph)
        if let name { content.tags.append(MLflowKeyValue(key: "pipe.experiment", value: name)) }
        if let first = failed.first {
            content.tags.append(MLflowKeyValue(key: "pipe.failed_stage", value: first.stage))
            content.tags.append(MLflowKeyValue(key: "pipe.error", value: first.message))
        } else if let error {
            content.tags.append(MLflowKeyValue(key: "pipe.error", value: "\(error)"))
        }
        content.stageArtifacts()
        tracker.enqueue(.log(MLflowBatch(metrics: content.metrics, params: content.params, tags: content.tags)))
        for (path, file) in content.artifacts { tracker.enqueue(.upload(path: path, file: file)) }
        tracker.enqueue(.finish(status: Self.status(error), endTime: RunTracker.milliseconds(now), name: name))
        return tracker.close()
    }
}
