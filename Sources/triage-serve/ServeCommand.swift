import ArgumentParser
import Foundation
import Logging
import TriageServe

/// The command line: each option also reads `TRIAGE_SERVE_<NAME>` from the environment (the flag wins).
/// Usage errors and start-up failures exit 2 with one line; a clean shutdown exits 0.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triage-serve",
        abstract: "Serve the trained triage model over HTTP (/v1/triage, OpenAI-compatible /v1/chat/completions).")

    @Option(help: "Address to bind (env TRIAGE_SERVE_HOST; default 127.0.0.1).") var host: String?
    @Option(help: "Port, 0 for any free one (env TRIAGE_SERVE_PORT; default 8000).") var port: Int?
    @Option(help: "A merged model directory, e.g. models/merged (env TRIAGE_SERVE_MODEL).") var model: String?
    @Option(help: "The base model directory, with --adapter (env TRIAGE_SERVE_BASE).") var base: String?
    @Option(help: "A PEFT adapter directory applied to the NF4 base (env TRIAGE_SERVE_ADAPTER).") var adapter: String?
    @Option(help: "Name in /v1/models and responses (default: the model directory's name).") var servedModelName: String?
    @Option(help: "Evaluate's metrics with the calibrated operating point (default reports/evaluate.json).")
    var evaluationReport: String?
    @Option(help: "The model's key in that report (default merged, sft or dpo from the directory).") var evaluationKey: String?
    @Option(help: "Override the operating point: bias added to immediate's log-probability.") var immediateBias: Double?
    @Option(help: "Longest prompt in tokens, as evaluate.max_length (default 256).") var maxLength: Int?
    @Option(help: "Batch collection window in milliseconds (env TRIAGE_SERVE_BATCH_WINDOW_MS; default 2).")
    var batchWindowMs: Double?
    @Option(help: "Most sequences per forward pass (env TRIAGE_SERVE_MAX_BATCH; default 32; 1 disables batching).")
    var maxBatch: Int?
    @Option(help: "Most waiting requests before 429 (env TRIAGE_SERVE_QUEUE_SIZE; default 256).") var queueSize: Int?
    @Option(help: "Largest request body in bytes (default 65536).") var maxRequestBytes: Int?
    @Option(help: "Largest max_tokens of a chat request (default 256).") var maxTokensLimit: Int?
    @Option(help: "Per-request timeout in seconds (env TRIAGE_SERVE_TIMEOUT; default 30).") var timeout: Double?
    @Option(help: "BLAS threads (env TRIAGE_SERVE_THREADS; default 1).") var threads: Int?
    @Option(help: "trace, debug, info, notice, warning, error or critical (env LOG_LEVEL; default info).")
    var logLevel: String?

    func validate() throws {
        let env = Environment.current
        let merged = model ?? env["MODEL"], base = self.base ?? env["BASE"], adapter = self.adapter ?? env["ADAPTER"]
        if merged != nil && (base != nil || adapter != nil) {
            throw ValidationError("pass either --model or --base with --adapter, not both")
        }
        if merged == nil && (base == nil || adapter == nil) {
            throw ValidationError("pass --model DIR (e.g. models/merged), or --base DIR with --adapter DIR")
        }
        for (name, value) in [("--max-batch", maxBatch ?? env.int("MAX_BATCH")), ("--queue-size", queueSize ?? env.int("QUEUE_SIZE")),
                              ("--max-tokens-limit", maxTokensLimit), ("--max-request-bytes", maxRequestBytes),
                              ("--threads", threads ?? env.int("THREADS"))] {
            if let value, value < 1 { throw ValidationError("\(name) must be at least 1, got \(value)") }
        }
        if let level = logLevel ?? ProcessInfo.processInfo.environment["LOG_LEVEL"], Logger.Level(rawValue: level) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    /// The server settings these flags and the environment describe.
    func serveConfiguration() -> ServeConfiguration {
        let env = Environment.current
        let source: ModelSource = if let merged = model ?? env["MODEL"] {
            .merged(directory: merged)
        } else {
            .adapted(base: (base ?? env["BASE"])!, adapter: (adapter ?? env["ADAPTER"])!)
        }
        var c = ServeConfiguration(source: source)
        c.host = host ?? env["HOST"] ?? c.host
        c.port = port ?? env.int("PORT") ?? c.port
        c.modelName = servedModelName
        if let evaluationReport { c.evaluationReport = evaluationReport }
        c.evaluationKey = evaluationKey
        c.immediateBias = immediateBias
        c.maxLength = maxLength ?? c.maxLength
        if let ms = batchWindowMs ?? env["BATCH_WINDOW_MS"].flatMap(Double.init) { c.batchWindow = .microseconds(Int64(ms * 1000)) }
        c.maxBatch = maxBatch ?? env.int("MAX_BATCH") ?? c.maxBatch
        c.queueSize = queueSize ?? env.int("QUEUE_SIZE") ?? c.queueSize
        c.maxRequestBytes = maxRequestBytes ?? c.maxRequestBytes
        c.maxTokensLimit = maxTokensLimit ?? c.maxTokensLimit
        if let seconds = timeout ?? env["TIMEOUT"].flatMap(Double.init) { c.requestTimeout = .milliseconds(Int64(seconds * 1000)) }
        c.threads = threads ?? env.int("THREADS")
        return c
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel ?? ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info") ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "triage-serve")
        let server: TriageServer
        do { server = try TriageServer.load(serveConfiguration(), logger: logger) } catch {
            FileHandle.standardError.write(Data("triage-serve: error: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
        let host = server.configuration.host
        let app = server.application { port in
            // One line on stdout once listening, so scripts and tests learn the port (useful with --port 0).
            FileHandle.standardOutput.write(Data("triage-serve: listening on http://\(host):\(port)\n".utf8))
        }
        try await app.runService()
    }

    /// Owns the top level so usage errors exit 2 (the project's code for bad usage), not ArgumentParser's 64.
    static func runAsRoot() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            exit(withError: code == .validationFailure || code.rawValue == 64 ? ExitCode(2) : error)
        }
    }
}

/// `TRIAGE_SERVE_<NAME>` variables.
struct Environment {
    let values: [String: String]
    static var current: Environment { Environment(values: ProcessInfo.processInfo.environment) }
    subscript(name: String) -> String? { values["TRIAGE_SERVE_" + name].flatMap { $0.isEmpty ? nil : $0 } }
    func int(_ name: String) -> Int? { self[name].flatMap(Int.init) }
}
