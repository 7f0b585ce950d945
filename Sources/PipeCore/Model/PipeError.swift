import Foundation

/// Where in a source file something was written, so an error can point a user at it.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// The engine's one error type: a code tests match, a message and a fix people read, and where it came from.
///
/// Invalid pipelines, params and usage exit 2; a failed stage or a failed check exits 1.
public struct PipeError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What kind of failure this is; stable so tests and `--json` consumers can match it.
    public enum Code: String, Sendable, Codable, CaseIterable {
        // invalid input: exit 2
        case yamlSyntax, unknownKey, invalidValue, missingKey, cycle, duplicateOut, overlappingOut
        case pathEscapesRepo, missingParamsFile, missingParam, unresolvedVariable, missingDep
        case lockConflict, lockCorrupt, unknownStage, usage, remoteConfig
        // failures at run time: exit 1
        case stageFailed, stale, repoLocked, interrupted, io, cacheCorrupt, transferFailed
    }

    public var code: Code
    public var message: String
    /// What the user should do about it.
    public var fix: String?
    public var location: SourceLocation?
    /// Key path inside the file, e.g. `stages.sft.params[0]`.
    public var keyPath: String?
    /// The underlying failure, already rendered for a person.
    public var cause: String?

    public init(_ code: Code, _ message: String, fix: String? = nil, location: SourceLocation? = nil,
                keyPath: String? = nil, cause: String? = nil) {
        self.code = code
        self.message = message
        self.fix = fix
        self.location = location
        self.keyPath = keyPath
        self.cause = cause
    }

    /// The process exit status this error maps to: 2 for invalid input, 1 for failures at run time.
    public var exitCode: Int32 {
        switch code {
        case .stageFailed, .stale, .repoLocked, .interrupted, .io, .cacheCorrupt, .transferFailed: 1
        default: 2
        }
    }

    public var description: String {
        var head = ""
        if let location { head += "\(location): " }
        head += "error: "
        if let keyPath { head += "\(keyPath): " }
        var text = head + message
        if let cause { text += "\n  caused by: \(cause)" }
        if let fix { text += "\n  fix: \(fix)" }
        return text
    }
}

extension PipeError {
    /// Wraps a Foundation/POSIX failure on `path` with the path named.
    public static func io(_ message: String, path: String, underlying: (any Error)? = nil, fix: String? = nil) -> PipeError {
        PipeError(.io, "\(message): \(path)", fix: fix, cause: underlying.map { String(describing: $0) })
    }
}
