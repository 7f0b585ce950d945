import Yams
import PipeBasics

extension ParamsEditor {
    /// Walks the dotted `key` down the node tree: mapping keys by name, list items by index.
    func locate(_ key: String, in root: Node, tree: ParamValue, source: SourceText) throws -> LocatedValue {
        var current = LocatedValue(node: root, keyNode: nil)
        for part in key.split(separator: ".", omittingEmptySubsequences: false).map(String.init) {
            switch current.node {
            case let .mapping(mapping):
                guard let pair = mapping.first(where: { $0.key.scalar?.string == part }) else {
                    throw unknownKey(key, in: tree, near: current.node)
                }
                current = LocatedValue(node: pair.value, keyNode: pair.key)
            case let .sequence(sequence):
                guard let index = Int(part), index >= 0, index < sequence.count else {
                    throw unknownKey(key, in: tree, near: current.node)
                }
                current = LocatedValue(node: sequence[index], keyNode: nil)
            default:
                throw unknownKey(key, in: tree, near: current.node)
            }
        }
        switch current.node {
        case .mapping, .sequence:
            guard source.isFlow(current.node) else {
                throw PipeError(.invalidValue, "'\(key)' in \(file) is a section, not a value",
                                fix: "set the keys under it one at a time, e.g. -S \(key).\(Self.firstChild(of: current.node) ?? "name")=…",
                                location: current.location(file: file), keyPath: key)
            }
        case .alias:
            throw PipeError(.invalidValue, "'\(key)' in \(file) is a YAML alias", fix: "set the anchored value instead",
                            location: current.location(file: file), keyPath: key)
        case .scalar: break
        }
        return current
    }

    static func firstChild(of node: Node) -> String? {
        switch node {
        case let .mapping(m): m.first?.key.scalar?.string
        case .sequence: "0"
        default: nil
        }
    }

    /// `.unknownKey` naming the file and key, with the closest existing key as a suggestion.
    func unknownKey(_ key: String, in tree: ParamValue, near node: Node?) -> PipeError {
        let keys = Self.dottedKeys(tree)
        let hint = DidYouMean.closest(to: key, in: keys).map { "did you mean '\($0)'? " } ?? ""
        return PipeError(.unknownKey, "\(file) has no key '\(key)'",
                         fix: "\(hint)-S key=value changes existing keys only; write -S +\(key)=value to add a new one",
                         location: SourceLocation(file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1),
                         keyPath: key)
    }

    /// Every dotted key in the tree, sections and leaves (list items by index).
    static func dottedKeys(_ value: ParamValue, prefix: String = "") -> [String] {
        var keys: [String] = []
        switch value {
        case let .dict(pairs):
            for (k, v) in pairs {
                let path = prefix.isEmpty ? k : "\(prefix).\(k)"
                keys.append(path)
                keys += dottedKeys(v, prefix: path)
            }
        case let .list(items):
            for (i, v) in items.enumerated() {
                let path = prefix.isEmpty ? "\(i)" : "\(prefix).\(i)"
                keys.append(path)
                keys += dottedKeys(v, prefix: path)
            }
        default: break
        }
        return keys
    }
}

/// The stretch of text a value occupies, measured from its node mark, and what to write before the new value.
struct ValueRegion {
    /// Scalar offsets replaced by the new spelling.
    var range: Range<Int>
    /// Written before the value (a space after `key:` when the value was empty).
    var prefix: String

    /// Finds where `target` is written in `u` (the file's Unicode scalars).
    static func measure(_ target: LocatedValue, in u: [Unicode.Scalar], lineStarts: [Int], file: String,
                        key: String) throws -> ValueRegion {
        func refuse(_ why: String) -> PipeError {
            PipeError(.invalidValue, "'\(key)' in \(file) \(why)", fix: "edit \(file) by hand",
                      location: target.location(file: file), keyPath: key)
        }
        func offset(_ mark: Mark?) -> Int? {
            guard let mark, mark.line - 1 < lineStarts.count else { return nil }
            let o = lineStarts[mark.line - 1] + mark.column - 1
            return o <= u.count ? o : nil
        }
        if case let .scalar(scalar) = target.node, scalar.string.isEmpty, scalar.style == .plain || scalar.style == .any {
            // An empty value (`key:`): its mark points past it, so write right after the key's colon.
            guard let keyNode = target.keyNode, let keyStart = offset(keyNode.mark),
                  let keyEnd = try? end(of: keyNode, at: keyStart, in: u) else { throw refuse("is an empty value outside a mapping") }
            var i = keyEnd
            while i < u.count, u[i] == " " || u[i] == "\t" { i += 1 }
            guard i < u.count, u[i] == ":" else { throw refuse("has no ':' after its key") }
            return ValueRegion(range: (i + 1)..<(i + 1), prefix: " ")
        }
        guard var start = offset(target.node.mark) else { throw refuse("has no position in the file") }
        // An anchor before the value stays (aliases refer to it); a tag after it goes with the old value, since
        // `!!float` would retype the new one.
        var tagStart: Int?
        while start < u.count, u[start] == "&" || u[start] == "!" {
            tagStart = u[start] == "!" ? (tagStart ?? start) : nil
            while start < u.count, !Self.isBlank(u[start]) { start += 1 }
            while start < u.count, u[start] == " " || u[start] == "\t" { start += 1 }
        }
        guard let stop = try end(of: target.node, at: start, in: u) else {
            throw refuse("is a multi-line or block value")
        }
        return ValueRegion(range: (tagStart ?? start)..<stop, prefix: "")
    }

    static func isBlank(_ u: Unicode.Scalar) -> Bool { u == " " || u == "\t" || u == "\n" || u == "\r" }

    /// The offset just past the node written at `start`; nil for block and multi-line plain scalars.
    static func end(of node: Node, at start: Int, in u: [Unicode.Scalar]) throws -> Int? {
        guard start < u.count else { return nil }
        switch node {
        case let .scalar(scalar):
            switch scalar.style {
            case .doubleQuoted:
                guard u[start] == "\"" else { return nil }
                var i = start + 1
                while i < u.count, u[i] != "\"" { i += u[i] == "\\" ? 2 : 1 }
                return i < u.count ? i + 1 : nil
            case .singleQuoted:
                guard u[start] == "'" else { return nil }
                var i = start + 1
                while i < u.count {
                    if u[i] == "'" {
                        if i + 1 < u.count, u[i + 1] == "'" { i += 2; continue }
                        return i + 1
                    }
                    i += 1
                }
                return nil
            case .literal, .folded:
                return nil
            default:
                let content = Array(scalar.string.unicodeScalars)
                guard !content.contains("\n"), start + content.count <= u.count,
                      Array(u[start..<(start + content.count)]) == content else { return nil }
                return start + content.count
            }
        case .mapping, .sequence:
            return flowEnd(from: start, in: u)
        case .alias:
            return nil
        }
    }

    /// The offset past the bracket closing the flow collection opened at `start`, skipping quoted text and comments.
    static func flowEnd(from start: Int, in u: [Unicode.Scalar]) -> Int? {
        guard u[start] == "[" || u[start] == "{" else { return nil }
        var depth = 0
        var i = start
        while i < u.count {
            switch u[i] {
            case "[", "{": depth += 1
            case "]", "}":
                depth -= 1
                if depth == 0 { return i + 1 }
            case "\"":
                i += 1
                while i < u.count, u[i] != "\"" { i += u[i] == "\\" ? 2 : 1 }
            case "'":
                i += 1
                while i < u.count {
                    if u[i] == "'" { if i + 1 < u.count, u[i + 1] == "'" { i += 2; continue }; break }
                    i += 1
                }
            case "#" where i > 0 && isBlank(u[i - 1]):
                while i < u.count, u[i] != "\n" { i += 1 }
            default: break
            }
            i += 1
        }
        return nil
    }
}
