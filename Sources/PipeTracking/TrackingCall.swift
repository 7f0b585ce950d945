import Foundation
import PipeBasics
import PipeMLflow

/// One call of a tracked run, in the order it must reach the server. Calls not sent yet are what a backlog keeps.
public enum TrackingCall: Sendable, Equatable, Codable {
    /// Create the run (`runs/create`) in the run's experiment.
    case create(name: String, startTime: Int64, tags: [MLflowKeyValue])
    /// Log metrics, params and tags (split into calls within MLflow's limits when sent).
    case log(MLflowBatch)
    /// Upload the file `file` (relative to the run's directory under `.cache/tracking/runs/`) as artifact `path`.
    case upload(path: String, file: String)
    /// Set the final status, end time and (when known only at the end) the name.
    case finish(status: MLflowRunStatus, endTime: Int64, name: String?)
}

/// A tracked run as kept on disk (`.cache/tracking/runs/<id>/run.json`, beside the artifact files it uploads):
/// where it goes, what the server already gave it, and the calls not sent yet.
public struct PendingRun: Sendable, Equatable, Codable {
    /// A local id: the name of the run's directory.
    public var id: String
    /// The server, as shown (`http://host:port`); the backlog is sent there.
    public var uri: String
    /// The MLflow experiment's name.
    public var experiment: String
    /// Set once the experiment was looked up or created.
    public var experimentID: String?
    /// Set once `runs/create` succeeded.
    public var runID: String?
    /// Set once `runs/create` succeeded.
    public var artifactURI: String?
    /// Calls still to send, in order.
    public var calls: [TrackingCall]

    /// A run with nothing sent yet.
    public init(id: String, uri: String, experiment: String, calls: [TrackingCall] = []) {
        self.id = id
        self.uri = uri
        self.experiment = experiment
        self.calls = calls
    }

    /// The run's directory under `cacheRoot`.
    public static func directory(id: String, cacheRoot: URL) -> URL {
        cacheRoot.appendingPathComponent("tracking/runs/\(id)")
    }

    /// Writes `run.json` atomically into the run's directory (the backlog entry).
    public func save(cacheRoot: URL) throws {
        let directory = Self.directory(id: id, cacheRoot: cacheRoot)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFileWriter.write(Array(try encoder.encode(self)), to: directory.appendingPathComponent("run.json").path)
    }

    /// Every run kept under `cacheRoot` (oldest directory name first), with the runs whose file is unreadable.
    public static func backlog(cacheRoot: URL) -> (runs: [PendingRun], unreadable: [String]) {
        let root = cacheRoot.appendingPathComponent("tracking/runs")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted()
        var runs: [PendingRun] = [], unreadable: [String] = []
        for name in names where !name.hasPrefix(".") {
            let file = root.appendingPathComponent("\(name)/run.json")
            guard let data = FileManager.default.contents(atPath: file.path) else { continue }
            if let run = try? JSONDecoder().decode(PendingRun.self, from: data) { runs.append(run) } else {
                unreadable.append(".cache/tracking/runs/\(name)/run.json")
            }
        }
        return (runs, unreadable)
    }
}
