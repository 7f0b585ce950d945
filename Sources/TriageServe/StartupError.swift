/// Why the server cannot start: each names the file at fault and what to do. The executable prints the message on
/// one line and exits 2, before binding any port.
public struct StartupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable code tests can match (`serve.missing-file`, `serve.corrupt-weights`, …).
    public var code: String
    /// What is wrong, where, and how to fix it (one line).
    public var message: String

    /// An error with a code and message.
    public init(code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message people read.
    public var description: String { message }

    /// A required file is missing.
    static func missingFile(_ path: String, fix: String) -> StartupError {
        StartupError(code: "serve.missing-file", "\(path) does not exist; \(fix)")
    }

    /// The safetensors file cannot be read or does not fit `config.json`.
    static func corruptWeights(_ path: String, _ cause: String) -> StartupError {
        StartupError(code: "serve.corrupt-weights", "\(path): \(cause); re-run `pipe repro` for this model")
    }
}
