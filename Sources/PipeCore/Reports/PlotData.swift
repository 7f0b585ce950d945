import Foundation

/// The rows of a plots file as named columns: CSV (comma), TSV (tab), or JSON (a list of objects, or an object
/// holding one such list). A JSON confusion matrix (`{"labels": [...], "matrix": [[...]]}` or a bare list of
/// lists) is kept as `matrix`.
public struct PlotData: Sendable, Equatable {
    /// One cell: a number, text, or nothing (an empty CSV field, a key absent from a JSON object).
    public enum Cell: Sendable, Equatable {
        case number(Double)
        case text(String)
        case empty

        /// The number this cell holds, if any.
        public var number: Double? { if case let .number(n) = self { n } else { nil } }
        /// The cell as a category label (numbers in their shortest form).
        public var label: String? {
            switch self {
            case let .number(n): FlatValues.formatNumber(n, precision: 6)
            case let .text(t): t
            case .empty: nil
            }
        }
    }

    /// A square matrix of counts read from JSON, rows = actual class, columns = predicted.
    public struct Matrix: Sendable, Equatable {
        /// Class names, one per row and column.
        public var labels: [String]
        /// `counts[actual][predicted]`.
        public var counts: [[Double]]
    }

    /// Repo-relative path of the file, for errors.
    public var path: String
    /// Column names in file order.
    public var columns: [String]
    /// Rows, each as many cells as `columns`.
    public var rows: [[Cell]]
    /// Set instead of columns for a JSON confusion matrix.
    public var matrix: Matrix?

    /// Data read from `path`.
    public init(path: String, columns: [String], rows: [[Cell]], matrix: Matrix? = nil) {
        self.path = path
        self.columns = columns
        self.rows = rows
        self.matrix = matrix
    }

    /// The cells of column `name`.
    public func column(_ name: String) -> [Cell]? {
        guard let i = columns.firstIndex(of: name) else { return nil }
        return rows.map { $0[i] }
    }

    /// Columns whose every non-empty cell is a number (and that hold at least one).
    public var numericColumns: [String] {
        columns.indices.filter { c in
            rows.contains { $0[c].number != nil } && rows.allSatisfy { $0[c].number != nil || $0[c] == .empty }
        }.map { columns[$0] }
    }

    /// Parses a plots file by extension: `.json` JSON, `.tsv` tab-separated, anything else comma-separated.
    /// - Throws: `.invalidValue` naming the file and line for a malformed file.
    public static func parse(_ data: Data, path: String) throws -> PlotData {
        let text = String(decoding: data, as: UTF8.self)
        let lower = path.lowercased()
        if lower.hasSuffix(".json") { return try parseJSON(text, path: path) }
        return try parseDelimited(text, separator: lower.hasSuffix(".tsv") ? "\t" : ",", path: path)
    }

    static func cell(_ field: String) -> Cell {
        let trimmed = field.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return .empty }
        switch trimmed.lowercased() {   // what numpy and pandas write for non-finite values: a gap when drawn
        case "nan", "-nan": return .number(.nan)
        case "inf", "+inf", "infinity": return .number(.infinity)
        case "-inf", "-infinity": return .number(-.infinity)
        default: break
        }
        if let d = Double(trimmed), trimmed.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true {
            return .number(d)
        }
        return .text(field)
    }

    /// RFC 4180 fields: quotes around a field allow separators, newlines and doubled quotes inside it.
    static func parseDelimited(_ text: String, separator: Character, path: String) throws -> PlotData {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var fieldStarted = false
        var line = 1
        var recordLine = 1
        var chars = Array(text)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var i = 0
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldStarted) { records.append((recordLine, fields)) }
            fields = []
            field = ""
            fieldStarted = false
        }
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                quoted = true
                fieldStarted = true
            } else if c == separator {
                fields.append(field)
                field = ""
                fieldStarted = true
            } else if c == "\n" || c == "\r\n" || c == "\r" {
                endRecord()
                line += 1
                recordLine = line
            } else {
                field.append(c)
            }
            i += 1
        }
        if quoted {
            throw PipeError(.invalidValue, "plots file '\(path)' has an unclosed quote",
                            fix: "close the quoted field that starts on line \(recordLine)",
                            location: SourceLocation(file: path, line: recordLine, column: 1))
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        guard let header = records.first else { return PlotData(path: path, columns: [], rows: []) }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var rows: [[Cell]] = []
        for record in records.dropFirst() {
            guard record.fields.count == columns.count else {
                throw PipeError(.invalidValue,
                                "plots file '\(path)' line \(record.line) has \(record.fields.count) fields, the header has \(columns.count)",
                                fix: "give every row one value per column (\(columns.joined(separator: ", ")))",
                                location: SourceLocation(file: path, line: record.line, column: 1))
            }
            rows.append(record.fields.map(cell))
        }
        return PlotData(path: path, columns: columns, rows: rows)
    }

    static func parseJSON(_ text: String, path: String) throws -> PlotData {
        let node: SourceNode
        do { node = try JSONReader.parse(text, file: path, nonFiniteNumbers: true) } catch let error as PipeError {
            throw PipeError(.invalidValue, "plots file '\(path)' is not valid JSON",
                            fix: "correct it, or rerun the stage that writes it (`pipe repro`)",
                            location: error.location, cause: error.message)
        }
        let value = node.value
        if let matrix = try matrix(from: value, path: path) {
            return PlotData(path: path, columns: [], rows: [], matrix: matrix)
        }
        var list: [ParamValue]?
        switch value {
        case let .list(items): list = items
        case let .dict(pairs):
            let lists = pairs.compactMap { pair -> [ParamValue]? in if case let .list(l) = pair.1 { l } else { nil } }
            if lists.count == 1 { list = lists[0] }
        default: break
        }
        guard let list else {
            throw PipeError(.invalidValue, "plots file '\(path)' must hold a list of objects (one per point)",
                            fix: "write [{\"step\": 0, \"loss\": 1.2}, …], or an object with one such list",
                            location: node.location)
        }
        var columns: [String] = []
        var objects: [[(String, ParamValue)]] = []
        for (i, item) in list.enumerated() {
            guard case let .dict(pairs) = item else {
                throw PipeError(.invalidValue, "plots file '\(path)': item \(i) of the list is not an object",
                                fix: "make every item an object such as {\"step\": 0, \"loss\": 1.2}", location: node.location)
            }
            for (key, _) in pairs where !columns.contains(key) { columns.append(key) }
            objects.append(pairs)
        }
        let rows = objects.map { pairs in
            columns.map { column -> Cell in
                switch pairs.first(where: { $0.0 == column })?.1 {
                case nil, .null?: .empty
                case let .int(i)?: .number(Double(i))
                case let .double(d)?: .number(d)
                case let v?: .text(v.description)
                }
            }
        }
        return PlotData(path: path, columns: columns, rows: rows)
    }

    /// `{"labels": [...], "matrix": [[...]]}` or `[[...], ...]` of numbers; nil for anything else.
    static func matrix(from value: ParamValue, path: String) throws -> Matrix? {
        func numbers(_ v: ParamValue) -> [[Double]]? {
            guard case let .list(rows) = v, !rows.isEmpty else { return nil }
            var out: [[Double]] = []
            for row in rows {
                guard case let .list(cells) = row else { return nil }
                let values = cells.compactMap(FlatValues.number)
                guard values.count == cells.count else { return nil }
                out.append(values)
            }
            return out
        }
        var counts: [[Double]]?
        var labels: [String]?
        switch value {
        case .list: counts = numbers(value)
        case let .dict(pairs):
            counts = pairs.first { $0.0 == "matrix" }.flatMap { numbers($0.1) }
            if case let .list(names)? = pairs.first(where: { $0.0 == "labels" || $0.0 == "classes" })?.1 {
                labels = names.map { $0.interpolationText ?? $0.description }
            }
        default: break
        }
        guard let counts else { return nil }
        guard counts.allSatisfy({ $0.count == counts.count }) else {
            throw PipeError(.invalidValue, "confusion matrix in '\(path)' is not square (\(counts.count) rows)",
                            fix: "write one row per actual class with one count per predicted class")
        }
        let names = labels ?? counts.indices.map(String.init)
        guard names.count == counts.count else {
            throw PipeError(.invalidValue, "confusion matrix in '\(path)' has \(counts.count) rows but \(names.count) labels",
                            fix: "give one label per row")
        }
        return Matrix(labels: names, counts: counts)
    }
}
