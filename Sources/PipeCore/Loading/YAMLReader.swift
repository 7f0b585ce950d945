import Yams

/// Parses YAML text into a `SourceNode` tree through `Yams.compose`, keeping every node's line and column.
///
/// Plain scalars are typed with the YAML 1.2 core schema, as DVC (ruamel.yaml) reads dvc.yaml and params.yaml:
/// `2e-4` is a float, `yes`/`on` stay strings, quoted scalars are always strings, and `!!str`-style tags win.
public enum YAMLReader {
    /// Parses `text` read from `file` (a repo-relative path used in locations); an empty document is null.
    ///
    /// Throws `.yamlSyntax` with the position libyaml reports for malformed input and for duplicate keys.
    public static func parse(_ text: String, file: String) throws -> SourceNode {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        }
        guard let root else { return SourceNode(.scalar(.null), location: SourceLocation(file: file, line: 1, column: 1)) }
        return try convert(root, file: file, keyPath: "")
    }

    private static func syntaxError(_ error: YamlError, file: String) -> PipeError {
        let fix = "fix the YAML syntax at that position (indentation, a missing ':' or an unclosed quote or bracket)"
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            return PipeError(.yamlSyntax, message, fix: fix,
                             location: SourceLocation(file: file, line: mark.line, column: mark.column))
        case let .duplicatedKeysInMapping(duplicates, context):
            return PipeError(.yamlSyntax, "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in a mapping",
                             fix: "keep one entry per key",
                             location: SourceLocation(file: file, line: context.mark.line, column: context.mark.column))
        case let .reader(problem, offset, _, yaml):
            var location = SourceLocation(file: file, line: 1, column: 1)
            if let offset {
                let prefix = yaml.prefix(offset)
                let line = prefix.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
                let column = prefix.count - (prefix.lastIndex(of: "\n").map { prefix.distance(from: prefix.startIndex, to: $0) + 1 } ?? 0) + 1
                location = SourceLocation(file: file, line: line, column: column)
            }
            return PipeError(.yamlSyntax, "unreadable YAML: \(problem)", fix: "save the file as UTF-8 text",
                             location: location)
        default:
            return PipeError(.yamlSyntax, "invalid YAML: \(error)", fix: fix, location: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    private static func location(_ node: Node, file: String) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    private static func convert(_ node: Node, file: String, keyPath: String) throws -> SourceNode {
        let here = location(node, file: file)
        switch node {
        case let .scalar(scalar):
            var result = SourceNode(.scalar(try resolve(scalar, location: here, keyPath: keyPath)), location: here)
            let text = scalar.string
            if !text.contains("\n") {
                switch scalar.style {
                case .plain, .any: result.contentColumn = here.column
                case .singleQuoted where !text.contains("'"): result.contentColumn = here.column + 1
                case .doubleQuoted where !text.contains("\\") && !text.contains("\""): result.contentColumn = here.column + 1
                default: break
                }
            }
            return result
        case let .sequence(sequence):
            var items: [SourceNode] = []
            items.reserveCapacity(sequence.count)
            for (i, child) in sequence.enumerated() {
                items.append(try convert(child, file: file, keyPath: "\(keyPath)[\(i)]"))
            }
            return SourceNode(.list(items), location: here)
        case let .mapping(mapping):
            // YAML merge keys (`<<: *base` or `<<: [*a, *b]`): merged keys come where `<<` stands, never
            // override a key written explicitly, and earlier merged mappings win over later ones.
            let explicit = Set(mapping.compactMap { key, _ in key.scalar.map(\.string) }.filter { $0 != "<<" })
            var entries: [SourceEntry] = []
            var defined = Set<String>()
            entries.reserveCapacity(mapping.count)
            for (key, value) in mapping {
                let keyLocation = location(key, file: file)
                guard case let .scalar(keyScalar) = key else {
                    throw PipeError(.invalidValue, "a mapping key must be a plain scalar, not a list or a mapping",
                                    fix: "use a string key", location: keyLocation, keyPath: keyPath.isEmpty ? nil : keyPath)
                }
                if keyScalar.string == "<<" && keyScalar.style == .plain {
                    let sources: [Node]
                    switch value {
                    case .mapping: sources = [value]
                    case let .sequence(items) where items.allSatisfy({ $0.mapping != nil }): sources = Array(items)
                    default:
                        throw PipeError(.invalidValue, "a YAML merge key ('<<') takes a mapping or a list of mappings",
                                        fix: "write '<<: *anchor' with an anchored mapping", location: keyLocation,
                                        keyPath: keyPath.isEmpty ? nil : keyPath)
                    }
                    for source in sources {
                        guard let merged = try convert(source, file: file, keyPath: keyPath).entries else { continue }
                        for entry in merged where !explicit.contains(entry.key) && defined.insert(entry.key).inserted {
                            entries.append(entry)
                        }
                    }
                    continue
                }
                let name = keyScalar.string
                defined.insert(name)
                let childPath = keyPath.isEmpty ? name : "\(keyPath).\(name)"
                entries.append(SourceEntry(key: name, keyLocation: keyLocation,
                                           value: try convert(value, file: file, keyPath: childPath)))
            }
            return SourceNode(.map(entries), location: here)
        case let .alias(alias):
            throw PipeError(.yamlSyntax, "unresolved YAML alias '*\(alias.anchor.rawValue)'",
                            fix: "define the anchor '&\(alias.anchor.rawValue)' before using it", location: here,
                            keyPath: keyPath.isEmpty ? nil : keyPath)
        }
    }

    private static let strTag = "tag:yaml.org,2002:str"

    /// Types one scalar: explicit core tags first, then quoting (always a string), then the core schema.
    static func resolve(_ scalar: Node.Scalar, location: SourceLocation, keyPath: String) throws -> ParamValue {
        let text = scalar.string
        let tag = scalar.tag.rawValue
        func bad(_ what: String) -> PipeError {
            PipeError(.invalidValue, "'\(text)' is not \(what) but is tagged \(tag)", fix: "remove the tag or fix the value",
                      location: location, keyPath: keyPath.isEmpty ? nil : keyPath)
        }
        switch tag {
        case strTag: return .string(text)
        case "tag:yaml.org,2002:int":
            guard let v = coreInt(text) else { throw bad("an integer") }
            return .int(v)
        case "tag:yaml.org,2002:float":
            if let v = coreFloat(text) { return .double(v) }
            if let v = coreInt(text) { return .double(Double(v)) }
            throw bad("a number")
        case "tag:yaml.org,2002:bool":
            guard let v = coreBool(text) else { throw bad("a boolean") }
            return .bool(v)
        case "tag:yaml.org,2002:null": return .null
        default: break
        }
        guard scalar.style == .plain || scalar.style == .any else { return .string(text) }
        return plainScalar(text)
    }

    /// The YAML 1.2 core-schema value of a plain scalar's text.
    public static func plainScalar(_ text: String) -> ParamValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        default: break
        }
        if let b = coreBool(text) { return .bool(b) }
        if let i = coreInt(text) { return .int(i) }
        if let d = coreFloat(text) { return .double(d) }
        return .string(text)
    }

    static func coreBool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": true
        case "false", "False", "FALSE": false
        default: nil
        }
    }

    static func coreInt(_ text: String) -> Int? {
        var body = Substring(text)
        var negative = false
        if body.hasPrefix("0x") { return Int(body.dropFirst(2), radix: 16) }
        if body.hasPrefix("0o") { return Int(body.dropFirst(2), radix: 8) }
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        guard let magnitude = Int(body) else { return nil }
        return negative ? -magnitude : magnitude
    }

    static func coreFloat(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        // [-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
        let u = Array(text.utf8)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 }
            return i - start
        }
        if i < u.count, u[i] == 43 || u[i] == 45 { i += 1 }
        let intDigits = digits()
        var fracDigits = 0
        var hasDot = false
        if i < u.count, u[i] == 46 { hasDot = true; i += 1; fracDigits = digits() }
        guard intDigits > 0 || (hasDot && fracDigits > 0) else { return nil }
        if i < u.count, u[i] == 101 || u[i] == 69 {
            i += 1
            if i < u.count, u[i] == 43 || u[i] == 45 { i += 1 }
            guard digits() > 0 else { return nil }
        }
        guard i == u.count else { return nil }
        return Double(text)
    }
}
