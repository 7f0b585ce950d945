import ArgumentParser
import Foundation
import PipeCore
#if Network
import PipeMLflow
import PipeTracking

/// The CLI side of tracking: starting and finishing a tracked run around a repro, the MLflow runs table of
/// `exp show --mlflow`, and `pipe exp push-tracking`.
enum Tracking {
    /// What a tracked run records: an experiment or a plain repro.
    typealias Kind = TrackedRepro.Kind

    /// Prints a tracking problem; tracking never fails a command.
    static let report: @Sendable (String) -> Void = { Terminal.printErr("warning: tracking: " + $0) }

    /// Runs `body` (the repro) between the start and the finish of a tracked run when tracking is on (or
    /// `required`); the run is FAILED when `body` throws, and named by what `body` returns.
    static func around<T>(_ project: Project, kind: Kind, name: String?, required: Bool = false,
                          enabled: Bool = true,
                          _ body: (_ observe: @escaping @Sendable (ReproEvent) -> Void) throws -> (T, String?)) throws -> T {
        let tracked = enabled ? try TrackedRepro.start(project: project, kind: kind, name: name, report: report) : nil
        if required && enabled && tracked == nil {
            throw PipeError(.usage, "--track needs a tracking server",
                            fix: "set MLFLOW_TRACKING_URI, or tracking: {mlflow: {uri: …}} in .pipe/config")
        }
        let observe: @Sendable (ReproEvent) -> Void = { tracked?.observe($0) }
        let result: (value: T, name: String?)
        do {
            result = try body(observe)
        } catch {
            if let tracked { printClosing(tracked.finish(project: project, name: name, error: error), tracked) }
            throw error
        }
        if let tracked { printClosing(tracked.finish(project: project, name: result.name ?? name, error: nil), tracked) }
        return result.value
    }

    private static func printClosing(_ closing: RunTracker.Closing, _ tracked: TrackedRepro) {
        let uri = tracked.tracker.settings.endpoint.display
        if closing.keptCalls == 0, let run = closing.runID {
            print("Tracked as MLflow run \(run) at \(uri) (experiment '\(tracked.tracker.settings.experiment)')")
        }
        if closing.sentBacklog > 0 { print("Sent \(closing.sentBacklog) backlogged run(s) to \(uri)") }
    }

    /// The MLflow runs of this project, as a table for `exp show --mlflow`.
    static func runsTable(_ workspace: Workspace) throws -> String {
        let (settings, runs) = try TrackingServer.runs(of: workspace)
        let out = "\nMLflow runs at \(settings.endpoint.display), experiment '\(settings.experiment)'"
            + " (project '\(settings.project)'):\n"
        guard !runs.isEmpty else { return out + "  none\n" }
        let formatter = ISO8601DateFormatter()
        let rows = runs.map { run -> [String] in
            let started = run.info.startTime.map {
                formatter.string(from: Date(timeIntervalSince1970: Double($0) / 1000))
            } ?? ""
            return [run.info.runName ?? "", run.info.status, started, run.info.runID,
                    run.tag("pipe.failed_stage").map { "failed: \($0)" } ?? ""]
        }
        return out + ReportTable(header: ["Run", "Status", "Started", "Run ID", ""], rows: rows).text(indent: "  ")
    }
}

extension Tracking {
    /// Sends the kept calls of earlier runs.
    static func push(_ workspace: Workspace) throws {
        let result = try TrackingServer.push(workspace, report: Tracking.report)
        for message in result.dropped { Terminal.printErr("warning: dropped a call MLflow refused: \(message)") }
        print("Sent \(result.sent) run(s); \(result.kept) kept")
        if let error = result.stoppedBy {
            throw PipeError(.transferFailed, error.description, fix: "start the server, then run `pipe exp push-tracking` again")
        }
    }
}
#else

/// Tracking in a `pipe` built without the `Network` trait: no MLflow client is linked, so a run is never tracked;
/// asking for tracking is an error saying how to build a `pipe` that has it, configured tracking a warning.
enum Tracking {
    /// What a tracked run would record.
    enum Kind: String, Sendable { case experiment = "exp", repro }

    /// Runs `body` untracked; fails first when tracking was asked for (`required`).
    static func around<T>(_ project: Project, kind: Kind, name: String?, required: Bool = false,
                          enabled: Bool = true,
                          _ body: (_ observe: @escaping @Sendable (ReproEvent) -> Void) throws -> (T, String?)) throws -> T {
        if required && enabled { throw unavailable("--track") }
        if enabled, ProcessInfo.processInfo.environment["MLFLOW_TRACKING_URI"] != nil
            || (try? ProjectConfig.load(in: project.workspace))?.mlflowURI != nil {
            Terminal.printErr("warning: tracking: this pipe was built without the Network trait (no MLflow client); "
                              + "the run is not tracked. Build it with `swift build -c release --product pipe` to track")
        }
        return try body { _ in }.0
    }

    /// `exp show --mlflow` needs the MLflow client.
    static func runsTable(_ workspace: Workspace) throws -> String { throw unavailable("--mlflow") }

    /// `exp push-tracking` needs the MLflow client.
    static func push(_ workspace: Workspace) throws { throw unavailable("exp push-tracking") }

    private static func unavailable(_ what: String) -> PipeError {
        PipeError(.usage, "\(what) needs MLflow tracking, which this pipe was built without (the Network trait was off)",
                  fix: "build pipe with its default traits: `swift build -c release --product pipe`")
    }
}

#endif

/// `pipe exp push-tracking`: send the MLflow calls earlier runs could not send.
struct ExpPushTrackingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push-tracking", abstract: "Send the MLflow calls that earlier runs kept (server down or failing).")

    @OptionGroup var repo: RepoOptions

    func run() throws {
        let workspace = try Workspace.find(from: repo.start)
        let repoLock = try RepoLock(cacheRoot: workspace.cacheRoot)
        defer { _ = repoLock }
        try Tracking.push(workspace)
    }
}
