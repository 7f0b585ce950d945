/// A YAML or JSON value together with where it was written, so every later error can point at it.
///
/// The loader converts Yams' `Node` tree into this Sendable tree once, resolving plain scalars with the
/// YAML 1.2 core schema (what DVC's ruamel.yaml does), and keeping mapping keys in file order.
public struct SourceNode: Sendable, Hashable {
    /// The shape of a node: a typed scalar, a list or an ordered mapping.
    public indirect enum Kind: Sendable, Hashable {
        case scalar(ParamValue)
        case list([SourceNode])
        case map([SourceEntry])
    }

    /// What the node holds.
    public var kind: Kind
    /// Where the node starts in its file.
    public var location: SourceLocation
    /// For a one-line string scalar whose characters appear verbatim in the file (plain, or quoted without
    /// escapes), the column of its first character; lets errors point at the exact `${` inside it.
    public var contentColumn: Int?

    /// A node of `kind` written at `location`.
    public init(_ kind: Kind, location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// The string of a string scalar; nil for anything else.
    public var string: String? {
        if case let .scalar(.string(s)) = kind { return s }
        return nil
    }

    /// The entries of a mapping; nil for anything else.
    public var entries: [SourceEntry]? {
        if case let .map(e) = kind { return e }
        return nil
    }

    /// The items of a list; nil for anything else.
    public var items: [SourceNode]? {
        if case let .list(i) = kind { return i }
        return nil
    }

    /// True for a null scalar (`~`, `null`, or nothing at all after a key).
    public var isNull: Bool {
        if case .scalar(.null) = kind { return true }
        return false
    }

    /// A short name of the node's type for error messages ("a string", "a list", …).
    public var typeName: String {
        switch kind {
        case let .scalar(v):
            switch v {
            case .null: "null"
            case .bool: "a boolean"
            case .int: "an integer"
            case .double: "a number"
            case .string: "a string"
            case .list: "a list"
            case .dict: "a mapping"
            }
        case .list: "a list"
        case .map: "a mapping"
        }
    }

    /// The node as a plain value, dropping locations (mapping keys keep file order).
    public var value: ParamValue {
        switch kind {
        case let .scalar(v): v
        case let .list(items): .list(items.map(\.value))
        case let .map(entries): .dict(entries.map { ($0.key, $0.value.value) })
        }
    }

    /// Builds a node from a plain value, giving every part the same location.
    public init(value: ParamValue, location: SourceLocation) {
        switch value {
        case let .list(items):
            self.init(.list(items.map { SourceNode(value: $0, location: location) }), location: location)
        case let .dict(pairs):
            self.init(.map(pairs.map { SourceEntry(key: $0.0, keyLocation: location,
                                                   value: SourceNode(value: $0.1, location: location)) }),
                      location: location)
        default:
            self.init(.scalar(value), location: location)
        }
    }
}

/// One `key: value` pair of a mapping, with the key's own location (unknown-key errors point at the key).
public struct SourceEntry: Sendable, Hashable {
    /// The key's text (scalar keys only).
    public var key: String
    /// Where the key is written.
    public var keyLocation: SourceLocation
    /// The value under the key.
    public var value: SourceNode

    /// An entry `key: value`.
    public init(key: String, keyLocation: SourceLocation, value: SourceNode) {
        self.key = key
        self.keyLocation = keyLocation
        self.value = value
    }
}
