import Foundation
import PipeBasics

/// Reads the plot properties (`x`, `y`, `template`, `title`, `x_label`, `y_label`) of every `plots:` entry in
/// pipeline.yaml text.
///
/// The pipeline loader validates these keys but keeps only paths, so they are read here from the located YAML
/// tree. Entries are matched to the loaded outputs by path: a path holding `${…}` (in a `foreach`/`matrix`
/// template) matches any text in place of each expression.
public struct PlotSpecReader: Sendable {
    /// One `plots:` entry as written, with its path pattern resolved against the stage's `wdir`.
    struct Entry: Sendable {
        var pattern: String
        var node: SourceNode?
        var location: SourceLocation
    }

    let entries: [Entry]

    /// Parses pipeline text (`file` names it in errors); throws `.invalidValue` for a malformed property.
    public init(pipelineText text: String, file: String = "pipeline.yaml") throws {
        let root = try YAMLReader.parse(text, file: file)
        var entries: [Entry] = []
        let directory = RepoPath.directory(of: file)
        for stage in root.entries?.first(where: { $0.key == "stages" })?.value.entries ?? [] {
            guard let definition = stage.value.entries else { continue }
            let body = definition.first(where: { $0.key == "do" })?.value.entries ?? definition
            var wdir = directory
            if let raw = body.first(where: { $0.key == "wdir" })?.value.value.interpolationText {
                wdir = Self.join(directory, raw)
            }
            for item in body.first(where: { $0.key == "plots" })?.value.items ?? [] {
                if let pairs = item.entries, let pair = pairs.first {
                    entries.append(Entry(pattern: Self.join(wdir, pair.key), node: pair.value.isNull ? nil : pair.value,
                                         location: pair.keyLocation))
                } else if let raw = item.value.interpolationText {
                    entries.append(Entry(pattern: Self.join(wdir, raw), node: nil, location: item.location))
                }
            }
        }
        self.entries = entries
    }

    /// Reads the pipeline file of `workspace`.
    public init(workspace: Workspace) throws {
        let url = workspace.root.appendingPathComponent(workspace.pipelineFile)
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        try self.init(pipelineText: text, file: workspace.pipelineFile)
    }

    /// No properties: every plot drawn with defaults (for a side whose pipeline text is not at hand).
    public init() { entries = [] }

    /// The spec for the plot output at repo-relative `path` (defaults when its entry has no properties).
    public func spec(for path: String, declaredAt location: SourceLocation? = nil) throws -> PlotSpec {
        guard let entry = entries.first(where: { Self.matches(path, pattern: $0.pattern) }) else {
            return PlotSpec(path: path, location: location)
        }
        var spec = PlotSpec(path: path, location: entry.location)
        guard let props = entry.node?.entries else { return spec }
        for prop in props {
            let keyPath = "plots.\(entry.pattern).\(prop.key)"
            spec.propertyLocations[prop.key] = prop.value.location
            switch prop.key {
            case "template":
                let name = try text(prop.value, keyPath: keyPath)
                guard let template = PlotSpec.Template(rawValue: name) else {
                    let names = PlotSpec.Template.allCases.map(\.rawValue)
                    var fix = "use one of: " + names.joined(separator: ", ")
                    if let guess = DidYouMean.closest(to: name, in: names) { fix = "did you mean '\(guess)'? " + fix }
                    throw PipeError(.invalidValue, "unknown plot template '\(name)' for \(path)", fix: fix,
                                    location: prop.value.location, keyPath: keyPath)
                }
                spec.template = template
            case "x": spec.x = try text(prop.value, keyPath: keyPath)
            case "y":
                if let items = prop.value.items {
                    spec.y = try items.map { try text($0, keyPath: keyPath) }
                } else {
                    spec.y = [try text(prop.value, keyPath: keyPath)]
                }
            case "title": spec.title = try text(prop.value, keyPath: keyPath)
            case "x_label": spec.xLabel = try text(prop.value, keyPath: keyPath)
            case "y_label": spec.yLabel = try text(prop.value, keyPath: keyPath)
            default: break
            }
        }
        return spec
    }

    private func text(_ node: SourceNode, keyPath: String) throws -> String {
        if case let .scalar(value) = node.kind, value != .null, let s = value.interpolationText { return s }
        throw PipeError(.invalidValue, "'\(keyPath)' must be a string, not \(node.typeName)",
                        fix: "write a column name or text", location: node.location, keyPath: keyPath)
    }

    /// `base/path` with `.` segments and a leading `./` removed (enough to compare with loaded paths).
    static func join(_ base: String, _ path: String) -> String {
        var parts: [Substring] = []
        for part in ((base == "." || base.isEmpty ? "" : base + "/") + path).split(separator: "/") {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }

    /// Whether `path` matches `pattern`, where each `${…}` in the pattern stands for any text.
    static func matches(_ path: String, pattern: String) -> Bool {
        guard pattern.contains("${") else { return path == pattern }
        var literals: [String] = []
        var rest = Substring(pattern)
        while let open = rest.range(of: "${") {
            literals.append(String(rest[..<open.lowerBound]))
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { return false }
            rest = rest[rest.index(after: close)...]
        }
        literals.append(String(rest))
        var remaining = Substring(path)
        guard remaining.hasPrefix(literals[0]) else { return false }
        remaining = remaining.dropFirst(literals[0].count)
        for (i, literal) in literals.enumerated().dropFirst() {
            if i == literals.count - 1 { return remaining.hasSuffix(literal) && remaining.count >= literal.count }
            guard let found = remaining.range(of: literal) else { return false }
            remaining = remaining[found.upperBound...]
        }
        return remaining.isEmpty
    }
}
