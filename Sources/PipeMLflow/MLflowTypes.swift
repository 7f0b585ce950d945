/// A metric point as MLflow stores it: key, value, wall-clock time in milliseconds, and the training step.
public struct MLflowMetric: Sendable, Equatable, Codable {
    /// The metric's name (`sft_loss.loss`).
    public var key: String
    /// The value at this step.
    public var value: Double
    /// Milliseconds since 1970.
    public var timestamp: Int64
    /// The training step (0 for a final value).
    public var step: Int64

    /// A metric point.
    public init(key: String, value: Double, timestamp: Int64, step: Int64 = 0) {
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.step = step
    }
}

/// A run parameter or tag: a key and a string value (MLflow keeps both as text).
public struct MLflowKeyValue: Sendable, Equatable, Codable {
    /// The name (`sft.lr`, `pipe.lock_hash`).
    public var key: String
    /// The value, as text.
    public var value: String

    /// A pair.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// How a run ended (MLflow's `RunStatus`).
public enum MLflowRunStatus: String, Sendable, Codable {
    /// Each is the value MLflow writes.
    case running = "RUNNING"
    case finished = "FINISHED"
    case failed = "FAILED"
    case killed = "KILLED"
}

/// What the server says about a run: ids, name, status, times and where its artifacts live.
public struct MLflowRunInfo: Sendable, Equatable, Decodable {
    /// The server's id of the run (32 hex digits).
    public var runID: String
    /// The experiment it belongs to.
    public var experimentID: String
    /// Its name, as the UI shows it.
    public var runName: String?
    /// `RUNNING`, `FINISHED`, `FAILED`, `KILLED` or `SCHEDULED`.
    public var status: String
    /// Start and end, milliseconds since 1970.
    public var startTime: Int64?
    /// See `startTime`; nil while running.
    public var endTime: Int64?
    /// `mlflow-artifacts:/<experiment>/<run>/artifacts` when the server proxies artifacts.
    public var artifactURI: String?

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", experimentID = "experiment_id", runName = "run_name", status
        case startTime = "start_time", endTime = "end_time", artifactURI = "artifact_uri"
    }
}

/// A run as `runs/get` and `runs/search` return it: its info and its latest metrics, params and tags.
public struct MLflowRun: Sendable, Equatable, Decodable {
    /// The run's data block (every list may be absent when empty).
    public struct Data: Sendable, Equatable, Decodable {
        /// The latest value of each metric.
        public var metrics: [MLflowMetric]?
        /// Every param.
        public var params: [MLflowKeyValue]?
        /// Every tag (MLflow's own `mlflow.*` ones included).
        public var tags: [MLflowKeyValue]?
    }

    /// Ids, name, status, times.
    public var info: MLflowRunInfo
    /// Metrics, params, tags.
    public var data: Data

    /// The value of tag `key`, if set.
    public func tag(_ key: String) -> String? { data.tags?.first { $0.key == key }?.value }
    /// The value of param `key`, if logged.
    public func param(_ key: String) -> String? { data.params?.first { $0.key == key }?.value }
    /// The latest value of metric `key`, if logged.
    public func metric(_ key: String) -> Double? { data.metrics?.first { $0.key == key }?.value }
}

/// One entry of `artifacts/list`.
public struct MLflowArtifact: Sendable, Equatable, Decodable {
    /// Its path from the run's artifact root (`reports/sft.json`).
    public var path: String
    /// Whether it is a directory.
    public var isDir: Bool
    /// Its size in bytes (files only).
    public var fileSize: Int64?

    enum CodingKeys: String, CodingKey { case path, isDir = "is_dir", fileSize = "file_size" }
}
