import Yams

/// Adding and removing keys (`-S +key=value`, `-S ~key`): whole lines are inserted or deleted in block
/// mappings, at the indentation of their neighbours; everything else in the file stays as it was.
extension ParamsEditor {
    /// Adds dotted `key` (absent) with `value` after the last entry of the deepest existing mapping on its path.
    ///
    /// - Throws: `.invalidValue` when the path runs through a value or a flow mapping, or when the result would
    ///   not read back as intended.
    public mutating func add(_ key: String, value: ParamValue, spelling: String?) throws {
        let before = try YAMLReader.parse(text, file: file).value
        let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let source = SourceText(text)
        var lines = Self.lines(of: text)
        let root = try Yams.compose(yaml: text)
        var parent = root
        var depth = 0
        while let node = parent, depth < parts.count - 1, case let .mapping(mapping) = node,
              let next = mapping.first(where: { $0.key.scalar?.string == parts[depth] })?.value {
            guard next.mapping != nil else {
                throw PipeError(.invalidValue, "'\(parts[0...depth].joined(separator: "."))' in \(file) is a value, so it cannot hold '\(key)'",
                                fix: "add the key elsewhere, or change the value by hand into a mapping", keyPath: key)
            }
            parent = next
            depth += 1
        }
        var indent = 0
        var insertAfter = lines.count - 1     // index of the line to insert after (-1: at the top)
        if let parent, case let .mapping(mapping) = parent, let firstKey = mapping.first?.key {
            guard !source.isFlow(parent) else {
                throw PipeError(.invalidValue, "'\(parts[0..<depth].joined(separator: "."))' in \(file) is a flow mapping ({…})",
                                fix: "add '\(key)' by hand", keyPath: key)
            }
            indent = (firstKey.mark?.column ?? 1) - 1
            let startLine = (firstKey.mark?.line ?? 1) - 1
            insertAfter = startLine
            var i = startLine + 1
            while i < lines.count {
                let line = lines[i]
                if !Self.isBlankOrComment(line) {
                    if Self.indentation(of: line) < indent || (indent == 0 && Self.indentation(of: line) == 0 && line.hasPrefix("---")) { break }
                    insertAfter = i
                }
                i += 1
            }
        } else if parent != nil && !(parent?.scalar?.string.isEmpty ?? false) {
            throw PipeError(.invalidValue, "cannot add '\(key)' to \(file): its top level is not a mapping",
                            fix: "edit \(file) by hand", keyPath: key)
        }
        let expected = before.inserting(at: key, value: value)
        var spellings: [String] = []
        if let raw = spelling?.trimmingCharacters(in: .whitespaces), !raw.isEmpty, !raw.contains("\n") { spellings.append(raw) }
        spellings.append(Self.canonical(value))
        if lines.last == "" { lines.removeLast() }        // the text's final newline
        for spelling in spellings {
            var added: [String] = []
            for (offset, part) in parts[depth...].enumerated() {
                let pad = String(repeating: " ", count: indent + 2 * offset)
                let last = depth + offset == parts.count - 1
                added.append(pad + YAMLText.scalar(part) + ":" + (last ? " " + spelling : ""))
            }
            var edited = lines
            edited.insert(contentsOf: added, at: min(insertAfter + 1, edited.count))
            let newText = edited.joined(separator: "\n") + "\n"
            guard let after = try? YAMLReader.parse(newText, file: file).value, after == expected,
                  Self.sameKinds(after.value(at: key), value) else { continue }
            text = newText
            return
        }
        throw PipeError(.invalidValue, "cannot add '\(key)' to \(file) without changing how the rest of it reads",
                        fix: "add it by hand", keyPath: key)
    }

    /// Removes dotted `key` (a block-mapping entry, with any block written under it); with `onlyIf`, only when it
    /// holds that value.
    public mutating func remove(_ key: String, onlyIf expectedValue: ParamValue?) throws {
        let before = try YAMLReader.parse(text, file: file).value
        guard let root = try Yams.compose(yaml: text) else { throw unknownKey(key, in: before, near: nil) }
        let source = SourceText(text)
        let target = try locateEntry(key, in: root, tree: before, source: source)
        if let expectedValue, let current = before.value(at: key), !(current == expectedValue && Self.sameKinds(current, expectedValue)) {
            throw PipeError(.invalidValue, "\(file): '\(key)' is \(current), not \(expectedValue); not removed",
                            fix: "write -S ~\(key) to remove it whatever its value", keyPath: key)
        }
        var lines = Self.lines(of: text)
        guard let keyMark = target.keyNode?.mark else { throw unknownKey(key, in: before, near: nil) }
        let first = keyMark.line - 1
        let indent = keyMark.column - 1
        guard first < lines.count, Self.indentation(of: lines[first]) == indent else {
            throw PipeError(.invalidValue, "'\(key)' in \(file) does not start its line (a flow mapping or a list item)",
                            fix: "remove it by hand", location: target.location(file: file), keyPath: key)
        }
        var last = first
        var i = first + 1
        while i < lines.count {
            if !Self.isBlankOrComment(lines[i]) {
                if Self.indentation(of: lines[i]) <= indent { break }
                last = i
            }
            i += 1
        }
        lines.removeSubrange(first...last)
        let newText = lines.joined(separator: "\n")
        guard let after = try? YAMLReader.parse(newText, file: file).value, after == before.removing(at: key) else {
            throw PipeError(.invalidValue, "cannot remove '\(key)' from \(file) without changing how the rest of it reads",
                            fix: "remove it by hand (an emptied section must become {})", keyPath: key)
        }
        text = newText
    }

    /// Like `locate`, but for an entry of any kind (a block section too).
    private func locateEntry(_ key: String, in root: Node, tree: ParamValue, source: SourceText) throws -> LocatedValue {
        var current = LocatedValue(node: root, keyNode: nil)
        for part in key.split(separator: ".", omittingEmptySubsequences: false).map(String.init) {
            guard case let .mapping(mapping) = current.node,
                  let pair = mapping.first(where: { $0.key.scalar?.string == part }) else {
                throw unknownKey(key, in: tree, near: current.node)
            }
            current = LocatedValue(node: pair.value, keyNode: pair.key)
        }
        return current
    }

    /// The text's lines without their `\n` (a final newline leaves an empty last element).
    static func lines(of text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    static func isBlankOrComment(_ line: String) -> Bool {
        let trimmed = line.drop { $0 == " " || $0 == "\t" || $0 == "\r" }
        return trimmed.isEmpty || trimmed.hasPrefix("#")
    }

    static func indentation(of line: String) -> Int { line.prefix { $0 == " " }.count }
}
