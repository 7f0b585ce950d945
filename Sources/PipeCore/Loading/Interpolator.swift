import Foundation
import PipeBasics

/// Resolves `${...}` expressions in strings and in whole `SourceNode` trees against a `TemplateContext`.
///
/// As in DVC: a string that is exactly one `${x}` takes the value of `x` with its type (an int stays an int, a
/// list stays a list); inside a longer string a scalar is spliced in as text (booleans as `true`/`false`), while a
/// list or mapping is an error, except that in `cmd` a mapping is unpacked into `--key value` arguments
/// (`CommandArguments`). `\${` writes a literal `${`. Mapping keys are interpolated too (always as text).
///
/// Like DVC, a scalar read from a params file (params.yaml or a `vars` file) is recorded in `usedParams`, so the
/// stage tracks it as a param: the lock records its value and `pipe status` names it when it changes.
public struct Interpolator: Sendable {
    /// The variables expressions read.
    public var context: TemplateContext
    /// Params-file values the resolved strings read, in first-use order, with where they were used.
    public private(set) var usedParams: [ParamReference] = []

    /// An interpolator over `context` that has recorded no params yet.
    public init(context: TemplateContext) {
        self.context = context
    }

    /// Resolves every string in `node` (values and mapping keys), keeping locations.
    public mutating func resolve(_ node: SourceNode, keyPath: String) throws -> SourceNode {
        switch node.kind {
        case let .scalar(.string(text)):
            let value = try resolve(text, location: node.location, keyPath: keyPath, contentColumn: node.contentColumn)
            if case .string = value { return SourceNode(.scalar(value), location: node.location) }
            return SourceNode(value: value, location: node.location)
        case .scalar:
            return node
        case let .list(items):
            var out: [SourceNode] = []
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() { out.append(try resolve(item, keyPath: "\(keyPath)[\(i)]")) }
            return SourceNode(.list(out), location: node.location)
        case let .map(entries):
            var out: [SourceEntry] = []
            out.reserveCapacity(entries.count)
            for entry in entries {
                let childPath = keyPath.isEmpty ? entry.key : "\(keyPath).\(entry.key)"
                let key = try resolveText(entry.key, location: entry.keyLocation, keyPath: childPath)
                out.append(SourceEntry(key: key, keyLocation: entry.keyLocation,
                                       value: try resolve(entry.value, keyPath: childPath)))
            }
            return SourceNode(.map(out), location: node.location)
        }
    }

    /// Resolves one string, always to text (for keys, names and paths that must be strings).
    public mutating func resolveText(_ text: String, location: SourceLocation, keyPath: String) throws -> String {
        let value = try resolve(text, location: location, keyPath: keyPath)
        if case let .string(s) = value { return s }
        guard let s = value.interpolationText else {
            throw PipeError(.invalidValue, "'\(text)' resolves to \(value.kindName), where text is needed",
                            fix: "reference a scalar value (a string, number or boolean)",
                            location: location, keyPath: keyPath)
        }
        return s
    }

    /// Resolves one string to a typed value (see the type rules above).
    ///
    /// `contentColumn` (see `SourceNode.contentColumn`) lets an error point at the `${` it is about.
    public mutating func resolve(_ text: String, location: SourceLocation, keyPath: String,
                                 contentColumn: Int? = nil) throws -> ParamValue {
        let matches = try Self.expressions(in: text, location: location, keyPath: keyPath)
        func at(_ match: Match) -> SourceLocation {
            guard let contentColumn else { return location }
            var exact = location
            exact.column = contentColumn + text.unicodeScalars.distance(from: text.unicodeScalars.startIndex,
                                                                       to: match.range.lowerBound)
            return exact
        }
        if matches.isEmpty {
            return .string(text.contains("\\${") ? text.replacingOccurrences(of: "\\${", with: "${") : text)
        }
        let inCommand = Self.isCommand(keyPath)
        if matches.count == 1, matches[0].range == text.startIndex..<text.endIndex {
            let v = try value(of: matches[0].expression, location: at(matches[0]), keyPath: keyPath)
            if inCommand, case let .dict(pairs) = v {
                return .string(try CommandArguments.unpack(pairs, location: at(matches[0]), keyPath: keyPath))
            }
            return v
        }
        var out = ""
        var cursor = text.startIndex
        for match in matches {
            out += text[cursor..<match.range.lowerBound]
            let v = try value(of: match.expression, location: at(match), keyPath: keyPath)
            if inCommand, case let .dict(pairs) = v {
                out += try CommandArguments.unpack(pairs, location: at(match), keyPath: keyPath)
                cursor = match.range.upperBound
                continue
            }
            guard let piece = v.interpolationText else {
                throw PipeError(.invalidValue,
                                "cannot put \(v.kindName) ('${\(match.expression)}') inside the text '\(text)'",
                                fix: "reference a scalar value, or make the whole value '${\(match.expression)}' to use \(v.kindName) as is",
                                location: at(match), keyPath: keyPath)
            }
            out += piece
            cursor = match.range.upperBound
        }
        out += text[cursor...]
        return .string(out.replacingOccurrences(of: "\\${", with: "${"))
    }

    /// Whether `keyPath` is a stage's `cmd` (or one line of it), where DVC unpacks mappings into `--key value`.
    static func isCommand(_ keyPath: String) -> Bool {
        var last = Substring(keyPath.split(separator: ".").last ?? "")
        if let bracket = last.firstIndex(of: "[") { last = last[..<bracket] }
        return last == "cmd"
    }

    /// One `${...}` occurrence: its range in the text and the trimmed expression inside.
    struct Match {
        var range: Range<String.Index>
        var expression: String
    }

    /// Finds the `${...}` occurrences not escaped by a backslash.
    static func expressions(in text: String, location: SourceLocation, keyPath: String) throws -> [Match] {
        guard text.contains("${") else { return [] }
        var matches: [Match] = []
        var i = text.startIndex
        while let open = text[i...].range(of: "${") {
            if open.lowerBound > text.startIndex, text[text.index(before: open.lowerBound)] == "\\" {
                i = open.upperBound
                continue
            }
            guard let close = text[open.upperBound...].firstIndex(of: "}") else {
                throw PipeError(.invalidValue, "unclosed '${' in '\(text)'",
                                fix: "close the expression with '}', or write '\\${' for a literal '${'",
                                location: location, keyPath: keyPath)
            }
            let inner = text[open.upperBound..<close].trimmingCharacters(in: .whitespaces)
            matches.append(Match(range: open.lowerBound..<text.index(after: close), expression: inner))
            i = text.index(after: close)
        }
        return matches
    }

    private mutating func value(of expression: String, location: SourceLocation, keyPath: String) throws -> ParamValue {
        guard let steps = TemplateContext.parse(expression: expression) else {
            throw PipeError(.invalidValue, "'${\(expression)}' is not a valid expression",
                            fix: "use dotted keys and list indexes, e.g. ${train.lr} or ${models[0].name}",
                            location: location, keyPath: keyPath)
        }
        switch context.lookup(steps) {
        case let .success(v):
            if v.interpolationText != nil, let origin = context.paramOrigin(of: steps) {
                let ref = ParamReference(file: origin.file, key: origin.key, location: location)
                if !usedParams.contains(ref) { usedParams.append(ref) }
            }
            return v
        case let .failure(failure):
            let scope = failure.at.isEmpty ? "" : " in '\(failure.at.joined(separator: "."))'"
            var fix = "define it in params.yaml or in vars, or correct the name"
            if let guess = DidYouMean.closest(to: failure.missing, in: failure.candidates) {
                fix = "did you mean '\(guess)'? " + fix
            }
            throw PipeError(.unresolvedVariable,
                            "cannot resolve '${\(expression)}': '\(failure.missing)' is not defined\(scope)",
                            fix: fix, location: location, keyPath: keyPath)
        }
    }
}

extension ParamValue {
    /// "a list", "a mapping", "a string", … for messages.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int: "an integer"
        case .double: "a number"
        case .string: "a string"
        case .list: "a list"
        case .dict: "a mapping"
        }
    }
}

