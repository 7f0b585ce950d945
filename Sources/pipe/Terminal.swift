import Foundation
import PipeCore

/// Small helpers for what the CLI prints: colour only on a TTY, errors in one format.
enum Terminal {
    static let stdoutIsTTY = isatty(1) == 1
    static let stderrIsTTY = isatty(2) == 1

    static func color(_ text: String, _ code: String, tty: Bool = stdoutIsTTY) -> String {
        tty && ProcessInfo.processInfo.environment["NO_COLOR"] == nil ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    static func errorText(_ error: PipeError) -> String {
        error.description
    }

    static func printErr(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
