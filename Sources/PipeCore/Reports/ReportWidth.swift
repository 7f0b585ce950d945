import Foundation

/// How many columns a report table may take before it switches to a narrower layout, chosen as terminal
/// programs do: an explicit `--width`, else `COLUMNS`, else the terminal's own size, else 80 (not a terminal).
public enum ReportWidth {
    /// The width when nothing says otherwise (output to a pipe or a file).
    public static let fallback = 80

    /// `option` when given; else `COLUMNS` when it is a positive integer; else `terminalColumns` when positive
    /// (the TTY's size, nil when stdout is not one); else `fallback`.
    public static func resolve(option: Int?, columnsVariable: String?, terminalColumns: Int?) -> Int {
        if let option, option > 0 { return option }
        if let text = columnsVariable, let columns = Int(text.trimmingCharacters(in: .whitespaces)), columns > 0 { return columns }
        if let terminalColumns, terminalColumns > 0 { return terminalColumns }
        return fallback
    }
}
