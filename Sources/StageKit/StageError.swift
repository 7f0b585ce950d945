/// A stage failure as a value: a code tests can match, what is wrong, what to do, and where.
///
/// `StageMain.run` prints it as `error: <stage>: <message>` plus the fix and exits with `exitCode`
/// (2 for bad params or usage, 1 for everything else, as the engine's exit-code contract says).
public struct StageError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure this is; tests match on it, people read the message.
    public enum Code: String, Sendable, Equatable {
        /// PIPE_PARAMS is not JSON, a key is unknown, or a value has the wrong type.
        case badParams
        /// Wrong command-line arguments.
        case usage
        /// An input file is missing, unreadable or malformed.
        case badInput
        /// A downloaded or copied source does not match its expected checksum.
        case checksumMismatch
        /// A remote source could not be fetched.
        case unreachable
        /// Writing an output failed.
        case io
    }

    /// The kind of failure, for tests and exit codes.
    public var code: Code
    /// What is wrong, naming the file, key or URL.
    public var message: String
    /// What the user should do about it, if anything useful can be said.
    public var fix: String?

    public init(_ code: Code, _ message: String, fix: String? = nil) {
        self.code = code
        self.message = message
        self.fix = fix
    }

    /// 2 for invalid params or usage, 1 for a failed stage.
    public var exitCode: Int32 {
        switch code {
        case .badParams, .usage: return 2
        default: return 1
        }
    }

    public var description: String {
        fix.map { "\(message)\n  fix: \($0)" } ?? message
    }
}
