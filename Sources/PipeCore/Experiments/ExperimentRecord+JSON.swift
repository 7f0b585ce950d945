import Foundation
import PipeBasics

extension ExperimentRecord {
    /// The record as JSON with a fixed key order (and params/metrics keys in file order), so the same
    /// experiment always serialises to the same bytes.
    public func jsonText() -> String {
        func q(_ s: String) -> String { JSONString.quote(s) }
        var out = "{\n"
        out += "  \"schema\": \(Self.currentSchema),\n"
        out += "  \"id\": \(q(id)),\n"
        out += "  \"name\": \(q(name)),\n"
        out += "  \"created\": \(q(created)),\n"
        out += "  \"baseCommit\": \(baseCommit.map(q) ?? "null"),\n"
        out += "  \"overrides\": [" + overrides.map {
            "{\"op\": \(q($0.operation.rawValue)), \"file\": \(q($0.file)), \"key\": \(q($0.key)), \"text\": \(q($0.text)), \"value\": \($0.value.jsonText)}"
        }.joined(separator: ", ") + "],\n"
        out += "  \"params\": {" + params.keys.sorted().map { "\(q($0)): \(params[$0]!.jsonText)" }.joined(separator: ", ") + "},\n"
        out += "  \"metrics\": {" + metrics.keys.sorted().map { file in
            "\(q(file)): {" + metrics[file]!.map { "\(q($0.0)): \($0.1.jsonText)" }.joined(separator: ", ") + "}"
        }.joined(separator: ", ") + "},\n"
        out += "  \"files\": {" + files.keys.sorted().map { "\(q($0)): \(q(files[$0]!))" }.joined(separator: ", ") + "},\n"
        out += "  \"lock\": \(q(lock))\n"
        out += "}\n"
        return out
    }

    /// Reads a record written by `jsonText()`; `file` names it in errors.
    ///
    /// - Throws: `.yamlSyntax` for malformed JSON, `.invalidValue` for a missing or mistyped field or a newer schema.
    public init(parsing text: String, file: String) throws {
        let root = try JSONReader.parse(text, file: file).value
        func bad(_ what: String) -> PipeError {
            PipeError(.invalidValue, "\(file): \(what)", fix: "delete \(file) (the experiment is lost) or restore it",
                      location: SourceLocation(file: file, line: 1, column: 1))
        }
        func string(_ key: String) throws -> String {
            guard case let .string(s)? = root.value(at: key) else { throw bad("'\(key)' must be a string") }
            return s
        }
        func dict(_ key: String) throws -> [(String, ParamValue)] {
            guard case let .dict(pairs)? = root.value(at: key) else { throw bad("'\(key)' must be an object") }
            return pairs
        }
        guard case let .int(schema)? = root.value(at: "schema") else { throw bad("'schema' must be an integer") }
        guard schema <= Self.currentSchema else {
            throw bad("schema \(schema) is newer than this pipe understands (\(Self.currentSchema))")
        }
        var overrides: [ParamsOverride] = []
        guard case let .list(items)? = root.value(at: "overrides") else { throw bad("'overrides' must be a list") }
        for item in items {
            guard case let .string(f)? = item.value(at: "file"), case let .string(k)? = item.value(at: "key"),
                  case let .string(t)? = item.value(at: "text"), let v = item.value(at: "value") else {
                throw bad("each override needs 'file', 'key', 'text' and 'value'")
            }
            var operation = ParamsOverride.Operation.set
            if case let .string(op)? = item.value(at: "op") {
                guard let known = ParamsOverride.Operation(rawValue: op) else { throw bad("unknown override op '\(op)'") }
                operation = known
            }
            overrides.append(ParamsOverride(file: f, key: k, text: t, value: v, operation: operation))
        }
        var metrics: [String: [(String, ParamValue)]] = [:]
        for (file, value) in try dict("metrics") {
            guard case let .dict(pairs) = value else { throw bad("metrics of '\(file)' must be an object") }
            metrics[file] = pairs
        }
        var files: [String: String] = [:]
        for (path, value) in try dict("files") {
            guard case let .string(s) = value else { throw bad("files.'\(path)' must be a string") }
            files[path] = s
        }
        let base: String?
        switch root.value(at: "baseCommit") {
        case let .string(s)?: base = s
        case .null?, nil: base = nil
        default: throw bad("'baseCommit' must be a string or null")
        }
        self.init(id: try string("id"), name: try string("name"), created: try string("created"), baseCommit: base,
                  overrides: overrides, params: Dictionary(try dict("params"), uniquingKeysWith: { a, _ in a }),
                  metrics: metrics, files: files, lock: try string("lock"))
    }
}
