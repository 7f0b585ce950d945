import Yams

/// One `-S key=value` of `pipe exp run`: which params file, which dotted key, and the new value.
///
/// As in DVC (Hydra's override grammar): `key=value` changes an existing key, `+key=value` adds a new one,
/// `++key=value` adds or changes, `~key` (or `~key=value`, only when it has that value) removes one.
/// The value is read as a YAML scalar (int, float, bool, null or string, by the YAML 1.2 core schema as the
/// params files themselves are read) or as a flow list or mapping (`[1, 2]`, `{a: 1}`), as DVC's `-S` does.
public struct ParamsOverride: Sendable, Equatable {
    /// What the override does to its key.
    public enum Operation: String, Sendable, Equatable {
        /// `key=value`: the key must exist.
        case set
        /// `+key=value`: the key must not exist yet.
        case add
        /// `++key=value`: add or change.
        case addOrSet
        /// `~key` / `~key=value`: remove the key (when it holds that value).
        case remove
    }

    /// What the override does to its key.
    public var operation: Operation
    /// The params file the key lives in (repo-relative; `params.yaml` unless written `file.yaml:key=value`).
    public var file: String
    /// Dotted key path (`train.lr`, `layers.0.width`).
    public var key: String
    /// The value exactly as typed after `=`, kept so the file gets the user's spelling (`2e-4`, not `0.0002`).
    public var text: String
    /// What `text` means.
    public var value: ParamValue

    /// An override of `key` in `file` with `value`, spelt `text`.
    public init(file: String = "params.yaml", key: String, text: String, value: ParamValue, operation: Operation = .set) {
        self.operation = operation
        self.file = file
        self.key = key
        self.text = text
        self.value = value
    }

    /// Parses `[+|++|~][file:]key=value` (`~[file:]key` needs no value).
    ///
    /// - Throws: `.usage` when there is no `=` or the key is empty or malformed.
    public init(parsing argument: String, defaultFile: String = "params.yaml") throws {
        var operation = Operation.set
        var body = Substring(argument)
        if body.hasPrefix("++") { operation = .addOrSet; body = body.dropFirst(2) }
        else if body.hasPrefix("+") { operation = .add; body = body.dropFirst() }
        else if body.hasPrefix("~") { operation = .remove; body = body.dropFirst() }
        if operation == .remove && !body.contains("=") { body += "=" }
        try self.init(parsingBody: String(body), argument: argument, defaultFile: defaultFile, operation: operation)
    }

    private init(parsingBody argument: String, argument original: String, defaultFile: String, operation: Operation) throws {
        guard let eq = argument.firstIndex(of: "=") else {
            throw PipeError(.usage, "-S '\(original)' has no '='",
                            fix: "write -S key=value (or -S file.yaml:key=value), e.g. -S train.lr=0.001")
        }
        var target = String(argument[..<eq]).trimmingCharacters(in: .whitespaces)
        var file = defaultFile
        if let colon = target.firstIndex(of: ":") {
            file = String(target[..<colon])
            target = String(target[target.index(after: colon)...])
            guard !file.isEmpty else {
                throw PipeError(.usage, "-S '\(original)' names an empty params file before ':'",
                                fix: "write -S file.yaml:key=value, or drop the ':' for params.yaml")
            }
        }
        let parts = target.split(separator: ".", omittingEmptySubsequences: false)
        guard !target.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else {
            throw PipeError(.usage, "-S '\(original)' has an empty or malformed key '\(target)'",
                            fix: "write a dotted key of the params file, e.g. -S train.lr=0.001")
        }
        let text = String(argument[argument.index(after: eq)...])
        let value: ParamValue = operation == .remove && text.isEmpty ? .null : try Self.parseValue(text, argument: original)
        self.init(file: file, key: target, text: text, value: value, operation: operation)
    }

    /// The value `text` stands for: a YAML scalar, or a flow list or mapping; anything else is a plain string.
    ///
    /// - Throws: `.usage` for text that starts a flow list or mapping but does not parse as one.
    public static func parseValue(_ text: String, argument: String? = nil) throws -> ParamValue {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return .string("") }
        let node: Node?
        do { node = try Yams.compose(yaml: trimmed) } catch {
            if trimmed.hasPrefix("[") || trimmed.hasPrefix("{") {
                throw PipeError(.usage, "-S \(argument ?? text): '\(trimmed)' is not a valid flow list or mapping",
                                fix: "close every bracket and quote strings that hold ',' or ':', e.g. [1, 2] or {a: 1}",
                                cause: "\(error)")
            }
            return .string(trimmed)
        }
        guard let node else { return .string(trimmed) }
        switch node {
        case let .scalar(scalar):
            let here = SourceLocation(file: "-S", line: 1, column: 1)
            return (try? YAMLReader.resolve(scalar, location: here, keyPath: "")) ?? .string(trimmed)
        case .sequence where trimmed.hasPrefix("["), .mapping where trimmed.hasPrefix("{"):
            // Flow style read from the text: Yams 6.2 does not report a collection's style reliably.
            return try YAMLReader.parse(trimmed, file: "-S").value
        default:
            return .string(trimmed)
        }
    }
}
