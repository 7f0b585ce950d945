import ArgumentParser
import Foundation
import PipeCore

/// `--width N`: how wide `metrics show`, `metrics diff` and `exp show` may print before they switch to a
/// narrower layout; by default `COLUMNS`, else the terminal's width, else 80.
struct ReportWidthOption: ParsableArguments {
    @Option(help: ArgumentHelp("Columns the table may take (default: $COLUMNS, else the terminal's width, else 80).",
                               valueName: "n"))
    var width: Int?

    func validate() throws {
        if let width, width < 1 { throw ValidationError("--width must be a positive number of columns, got \(width)") }
    }

    /// The width to lay tables out for.
    var resolved: Int {
        ReportWidth.resolve(option: width, columnsVariable: ProcessInfo.processInfo.environment["COLUMNS"],
                            terminalColumns: Self.terminalColumns())
    }

    /// Columns of the terminal on stdout (`ioctl(TIOCGWINSZ)`); nil when stdout is not a terminal.
    static func terminalColumns() -> Int? {
        guard Terminal.stdoutIsTTY else { return nil }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}
