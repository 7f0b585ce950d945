import Foundation

/// The variables `${...}` expressions can read: `params.yaml` (when present), `vars` entries, and inside
/// `foreach`/`matrix` the iteration's `item` and `key`.
///
/// Sources merge like DVC's: mappings merge key by key, but a value already defined by an earlier source can
/// not be redefined by a later one (that is an error naming both sources).
public struct TemplateContext: Sendable {
    /// All variables, top-level keys in the order they were defined.
    public private(set) var root: [(String, ParamValue)] = []
    /// Which source defined each top-level key (for "already defined in …" messages).
    private var origins: [String: String] = [:]
    /// Sources already merged (a file listed twice, or `params.yaml` listed after its implicit load, is skipped).
    public private(set) var sources: Set<String> = []
    /// Values read from params files, by repo-relative path, in merge order (to find where a value came from).
    private var fileValues: [(path: String, value: ParamValue)] = []

    /// An empty context: no variables, no sources.
    public init() {}

    /// Whether a source (a file path, possibly with a `:keys` selector) was merged already.
    public func hasSource(_ name: String) -> Bool { sources.contains(name) }

    /// Merges the mapping `value` read from `source` into the context.
    ///
    /// - Throws: `.invalidValue` when a key (at any depth) already holds a value that is not a mapping on both sides.
    /// `file` is the params file the value was read from (nil for an inline mapping); values from files can be
    /// traced back by `paramOrigin(of:)`.
    public mutating func merge(_ value: ParamValue, source: String, file: String? = nil, location: SourceLocation?,
                               keyPath: String?) throws {
        sources.insert(source)
        if let file { fileValues.append((file, value)) }
        guard case let .dict(pairs) = value else {
            throw PipeError(.invalidValue, "vars entry '\(source)' must be a mapping of names to values",
                            fix: "write 'name: value' pairs", location: location, keyPath: keyPath)
        }
        for (key, incoming) in pairs {
            if let i = root.firstIndex(where: { $0.0 == key }) {
                root[i].1 = try Self.merged(root[i].1, incoming, path: key, existingSource: origins[key] ?? "?",
                                            source: source, location: location, keyPath: keyPath)
            } else {
                root.append((key, incoming))
                origins[key] = source
            }
        }
    }

    private static func merged(_ existing: ParamValue, _ incoming: ParamValue, path: String, existingSource: String,
                               source: String, location: SourceLocation?, keyPath: String?) throws -> ParamValue {
        guard case var .dict(into) = existing, case let .dict(from) = incoming else {
            throw PipeError(.invalidValue,
                            "cannot redefine '\(path)' from '\(source)': it is already defined in '\(existingSource)'",
                            fix: "rename one of the two variables, or remove the duplicate vars entry",
                            location: location, keyPath: keyPath)
        }
        for (key, value) in from {
            if let i = into.firstIndex(where: { $0.0 == key }) {
                into[i].1 = try merged(into[i].1, value, path: "\(path).\(key)", existingSource: existingSource,
                                       source: source, location: location, keyPath: keyPath)
            } else {
                into.append((key, value))
            }
        }
        return .dict(into)
    }

    /// A copy with `bindings` set at the top level, shadowing anything of the same name (`item`, `key`).
    public func binding(_ bindings: [(String, ParamValue)]) -> TemplateContext {
        var copy = self
        for (name, value) in bindings {
            if let i = copy.root.firstIndex(where: { $0.0 == name }) {
                copy.root[i].1 = value
            } else {
                copy.root.append((name, value))
            }
            copy.origins[name] = "the iteration"
        }
        return copy
    }

    /// The params file and dotted key a plain dotted expression reads, when its value came from a params file
    /// (not from an inline `vars` mapping nor from `item`/`key`); nil for expressions with list indexes.
    public func paramOrigin(of steps: [Step]) -> (file: String, key: String)? {
        var keys: [String] = []
        for step in steps {
            guard case let .key(k) = step else { return nil }
            keys.append(k)
        }
        guard let first = keys.first, origins[first] != "the iteration" else { return nil }
        let dotted = keys.joined(separator: ".")
        return fileValues.first { $0.value.value(at: dotted) != nil }.map { ($0.path, dotted) }
    }

    /// One step of a `${...}` expression: a key (`a` in `a.b`) or a list index (`[0]`).
    public enum Step: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    /// Splits an expression like `models.us[0].width` into steps; nil when it is malformed.
    public static func parse(expression: String) -> [Step]? {
        var steps: [Step] = []
        var current = ""
        var i = expression.startIndex
        var afterIndex = false
        while i < expression.endIndex {
            let c = expression[i]
            switch c {
            case ".":
                if current.isEmpty && !afterIndex { return nil }
                if !current.isEmpty { steps.append(.key(current)) }
                current = ""
                afterIndex = false
            case "[":
                if !current.isEmpty { steps.append(.key(current)) }
                if current.isEmpty && steps.isEmpty { return nil }
                current = ""
                guard let close = expression[i...].firstIndex(of: "]"),
                      let n = Int(expression[expression.index(after: i)..<close].trimmingCharacters(in: .whitespaces)) else { return nil }
                steps.append(.index(n))
                i = close
                afterIndex = true
            case "]", "{", "}", "$":
                return nil
            default:
                if afterIndex { return nil }
                current.append(c)
            }
            i = expression.index(after: i)
        }
        if !current.isEmpty { steps.append(.key(current)) } else if !afterIndex { return nil }
        return steps
    }

    /// Looks up parsed steps; on failure returns how far it got and the names available there.
    public func lookup(_ steps: [Step]) -> Result<ParamValue, LookupFailure> {
        var current = ParamValue.dict(root)
        var walked: [String] = []
        for step in steps {
            switch (step, current) {
            case let (.key(k), .dict(pairs)):
                guard let next = pairs.first(where: { $0.0 == k })?.1 else {
                    return .failure(LookupFailure(missing: k, at: walked, candidates: pairs.map(\.0)))
                }
                current = next
                walked.append(k)
            case let (.key(k), .list(items)):
                guard let n = Int(k), items.indices.contains(n) else {
                    return .failure(LookupFailure(missing: k, at: walked, candidates: items.indices.map(String.init)))
                }
                current = items[n]
                walked.append(k)
            case let (.index(n), .list(items)):
                guard items.indices.contains(n) else {
                    return .failure(LookupFailure(missing: "[\(n)]", at: walked, candidates: []))
                }
                current = items[n]
                walked.append("[\(n)]")
            case let (.index(n), _):
                return .failure(LookupFailure(missing: "[\(n)]", at: walked, candidates: []))
            case let (.key(k), _):
                return .failure(LookupFailure(missing: k, at: walked, candidates: []))
            }
        }
        return .success(current)
    }

    /// Why a lookup failed: the missing step, the steps that did resolve, and the names that exist there.
    public struct LookupFailure: Error, Sendable {
        /// The step that did not resolve.
        public var missing: String
        /// The steps that did, in order.
        public var at: [String]
        /// Names defined where the lookup stopped (for "did you mean").
        public var candidates: [String]
    }
}

