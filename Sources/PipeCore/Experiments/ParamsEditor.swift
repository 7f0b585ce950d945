import Yams
import PipeBasics

/// Changes values in the text of a YAML (or JSON) params file without touching anything else: comments, blank
/// lines, key order, quoting and indentation stay byte for byte, only the edited scalar's characters change.
///
/// The value is found through Yams' node marks (line and column in Unicode scalars), its extent measured in the
/// text, and the new spelling spliced in. Every edit is checked by parsing the result: the edited key must read
/// as the new value and every other key as before, otherwise the edit is refused instead of corrupting the file.
public struct ParamsEditor: Sendable {
    /// The repo-relative path of the file, used in errors.
    public let file: String
    /// The current text, with every edit so far applied.
    public internal(set) var text: String

    /// An editor over `text`, read from `file`.
    public init(text: String, file: String) {
        self.text = text
        self.file = file
    }

    /// Whether the file is JSON, where only JSON spellings may be written.
    var isJSON: Bool { ParamsLoader.isJSON(file) }

    /// Sets the value at dotted `key` to `value`, preferring the spelling `spelling` when it reads the same.
    ///
    /// - Throws: `.unknownKey` (with did-you-mean) when the key is not in the file, `.invalidValue` when it names
    ///   a block section or a value that cannot be rewritten safely, `.yamlSyntax` for a malformed file.
    public mutating func set(_ key: String, to value: ParamValue, spelling: String? = nil) throws {
        let before = try YAMLReader.parse(text, file: file).value
        guard let root = try Yams.compose(yaml: text) else { throw unknownKey(key, in: before, near: nil) }
        let source = SourceText(text)
        let target = try locate(key, in: root, tree: before, source: source)
        let scalars = source.scalars
        let region = try ValueRegion.measure(target, in: scalars, lineStarts: source.lineStarts, file: file, key: key)
        let expected = before.replacing(at: key, with: value)
        for candidate in candidates(for: value, spelling: spelling, target: target, region: region) {
            var edited = scalars
            edited.replaceSubrange(region.range, with: (region.prefix + candidate).unicodeScalars)
            var newText = ""
            newText.unicodeScalars.append(contentsOf: edited)
            guard let after = try? YAMLReader.parse(newText, file: file).value, after == expected,
                  after.value(at: key) == value, Self.sameKinds(after.value(at: key), value) else { continue }
            text = newText
            return
        }
        throw PipeError(.invalidValue, "cannot write \(value.description) at '\(key)' without changing how the rest of \(file) reads",
                        fix: "edit \(file) by hand", location: target.location(file: file), keyPath: key)
    }

    /// Applies overrides in order (all for this file); nothing is kept unless all succeed.
    public mutating func apply(_ overrides: [ParamsOverride]) throws {
        var copy = self
        for o in overrides where o.file == file { try copy.apply(o) }
        self = copy
    }

    /// Applies one override by its operation: set an existing key, add a new one, add or set, remove.
    public mutating func apply(_ o: ParamsOverride) throws {
        let exists = try YAMLReader.parse(text, file: file).value.value(at: o.key) != nil
        switch o.operation {
        case .set: try set(o.key, to: o.value, spelling: o.text)
        case .addOrSet where exists: try set(o.key, to: o.value, spelling: o.text)
        case .add where exists:
            throw PipeError(.invalidValue, "\(file) already has the key '\(o.key)'",
                            fix: "write -S \(o.key)=… to change it (or ++\(o.key)=… to add or change)", keyPath: o.key)
        case .add, .addOrSet: try add(o.key, value: o.value, spelling: o.text)
        case .remove: try remove(o.key, onlyIf: o.text.isEmpty ? nil : o.value)
        }
    }

    /// Ints stay ints and doubles doubles (`ParamValue ==` treats 1 and 1.0 as equal; a file must not).
    static func sameKinds(_ a: ParamValue?, _ b: ParamValue) -> Bool {
        switch (a, b) {
        case (.int?, .int), (.double?, .double), (.string?, .string), (.bool?, .bool), (.null?, .null): true
        case let (.list(x)?, .list(y)): x.count == y.count && zip(x, y).allSatisfy { sameKinds($0, $1) }
        case let (.dict(x)?, .dict(y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && sameKinds($0.1, $1.1) }
        default: false
        }
    }

    /// Spellings to try, best first: the user's own text, the file's quoting style for strings, then a
    /// canonical form (JSON spelling in a JSON file).
    func candidates(for value: ParamValue, spelling: String?, target: LocatedValue, region: ValueRegion) -> [String] {
        var list: [String] = []
        if isJSON { return [value.jsonText] }
        if case let .string(s) = value, case let .scalar(old) = target.node {
            switch old.style {
            case .doubleQuoted: list.append(JSONString.quote(s))
            case .singleQuoted: list.append("'" + s.replacingOccurrences(of: "'", with: "''") + "'")
            default: break
            }
        }
        if let raw = spelling?.trimmingCharacters(in: .whitespaces), !raw.isEmpty, !raw.contains("\n") {
            list.append(raw)
        }
        list.append(Self.canonical(value))
        return list
    }

    /// A one-line YAML spelling of `value` that reads back as exactly `value` in block or flow context.
    static func canonical(_ value: ParamValue) -> String {
        switch value {
        case let .string(s): return JSONString.quote(s)
        case let .list(items): return "[" + items.map(canonical).joined(separator: ", ") + "]"
        case let .dict(pairs): return "{" + pairs.map { "\(JSONString.quote($0.0)): \(canonical($0.1))" }.joined(separator: ", ") + "}"
        default: return YAMLText.inline(value) ?? value.jsonText
        }
    }

}

/// A text as Unicode scalars with its line starts, so node marks (line, column in scalars) become offsets.
struct SourceText {
    let scalars: [Unicode.Scalar]
    /// Offsets where each line starts.
    let lineStarts: [Int]

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
        var starts = [0]
        for (i, u) in scalars.enumerated() where u == "\n" { starts.append(i + 1) }
        lineStarts = starts
    }

    /// The offset of `mark`, nil when it lies outside the text.
    func offset(_ mark: Mark?) -> Int? {
        guard let mark, mark.line >= 1, mark.line - 1 < lineStarts.count else { return nil }
        let o = lineStarts[mark.line - 1] + mark.column - 1
        return o <= scalars.count ? o : nil
    }

    /// Whether a collection node is written in flow style (`[…]` or `{…}`), read from the text because Yams 6.2
    /// reports a collection's style from its end event, where libyaml leaves it unset.
    func isFlow(_ node: Node) -> Bool {
        switch node {
        case .mapping, .sequence: break
        default: return false
        }
        guard var i = offset(node.mark) else { return false }
        while i < scalars.count, scalars[i] == "&" || scalars[i] == "!" {   // anchors and tags come first
            while i < scalars.count, !ValueRegion.isBlank(scalars[i]) { i += 1 }
            while i < scalars.count, ValueRegion.isBlank(scalars[i]) { i += 1 }
        }
        return i < scalars.count && (scalars[i] == "[" || scalars[i] == "{")
    }
}

/// A value node found by key, with what the splice needs to know about where it sits.
struct LocatedValue {
    /// The value's node.
    var node: Node
    /// The mapping key it is written under (nil for a list item).
    var keyNode: Node?

    func location(file: String) -> SourceLocation? {
        (node.mark ?? keyNode?.mark).map { SourceLocation(file: file, line: $0.line, column: $0.column) }
    }
}
