/// An RFC 4180 CSV parser: quoted fields with doubled quotes, commas and newlines inside quotes, CRLF or LF rows.
///
/// Each row comes with the 1-based line it starts on, so a malformed row can be reported where it is. An
/// unterminated quote is reported as such instead of swallowing the rest of the file silently.
public struct CSVReader {
    /// One parsed row.
    public struct Row: Equatable, Sendable {
        public var line: Int
        public var fields: [String]
    }

    /// A structural error (unterminated quote, stray quote).
    public struct SyntaxError: Error, Equatable, Sendable {
        public var line: Int
        public var message: String
    }

    public let text: String
    public var separator: Character

    public init(text: String, separator: Character = ",") {
        self.text = text
        self.separator = separator
    }

    /// Every row, blank lines skipped; a quote left open at the end of the file is a `SyntaxError`.
    public func rows() throws -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var line = 1, rowStart = 1
        var inQuotes = false, wasQuoted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endRow() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !wasQuoted) { rows.append(Row(line: rowStart, fields: fields)) }
            fields = []
            field = ""
            wasQuoted = false
        }
        while let scalar = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if scalar == "\"" {
                    let next = iterator.next()
                    if next == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = next }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty:
                inQuotes = true
                wasQuoted = true
            case Unicode.Scalar(String(separator))!:
                fields.append(field)
                field = ""
            case "\r":
                let next = iterator.next()
                if next != "\n" { pending = next }
                endRow()
                line += 1
                rowStart = line
            case "\n":
                endRow()
                line += 1
                rowStart = line
            default:
                field.unicodeScalars.append(scalar)
            }
        }
        if inQuotes { throw SyntaxError(line: rowStart, message: "a quoted field opened on line \(rowStart) is never closed") }
        if !field.isEmpty || !fields.isEmpty { endRow() }
        return rows
    }
}
