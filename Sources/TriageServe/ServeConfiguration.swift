import Foundation

/// Everything the server is started with; the executable fills it from flags and the environment, tests build it
/// directly. Defaults suit the 2-core machine the project is measured on.
public struct ServeConfiguration: Sendable {
    /// The address to bind (`127.0.0.1` by default: a model of patient data is not exposed unless asked).
    public var host = "127.0.0.1"
    /// The port (0: any free port, reported once listening).
    public var port = 8000
    /// The weights to serve.
    public var source: ModelSource
    /// The name `/v1/models` lists and responses carry (default: the model directory's name).
    public var modelName: String?
    /// Longest prompt in tokens, as evaluate scores (`evaluate.max_length`); longer descriptions keep their end.
    public var maxLength = 256
    /// `reports/evaluate.json`, where evaluate wrote the calibrated operating point (nil or absent file: argmax).
    public var evaluationReport: String? = "reports/evaluate.json"
    /// The model's key in the report (nil: `merged`, `sft` or `dpo` from the source; see `ModelSource`).
    public var evaluationKey: String?
    /// An operating point that wins over the report's (`--immediate-bias`).
    public var immediateBias: Double?
    /// How long the batcher waits for more requests after the first one arrives, under load (see `TriageBatcher`).
    public var batchWindow: Duration = .milliseconds(2)
    /// The most descriptions scored in one forward pass, and the most sequences decoded in one step.
    public var maxBatch = 32
    /// The most descriptions (or chat requests) waiting; past it requests get 429 with Retry-After.
    public var queueSize = 256
    /// The largest request body in bytes (413 past it).
    public var maxRequestBytes = 64 * 1024
    /// The most descriptions in one batch-form request.
    public var maxInputs = 64
    /// The largest `max_tokens` a chat request may ask for (and the default when it asks for none).
    public var maxTokensLimit = 256
    /// How long a request may wait and run before it gets 504.
    public var requestTimeout: Duration = .seconds(30)
    /// BLAS threads for the model (nil: the training runtime's policy, one thread unless OPENBLAS_NUM_THREADS).
    public var threads: Int?

    /// A configuration serving `source` with every other setting at its default.
    public init(source: ModelSource) {
        self.source = source
    }

    /// The served model's name.
    public var servedModelName: String { modelName ?? source.defaultName }
}
