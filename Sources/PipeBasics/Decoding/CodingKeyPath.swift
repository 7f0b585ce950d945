/// Key paths inside a decoded document, rendered as people write them: `sources[0].synthetic.seed`.
///
/// Why here: stage params and the server's request bodies both report the field at fault by this path, so the
/// rendering (dots between keys, brackets for indices) is written once.
public enum CodingKeyPath {
    /// `codingPath` (array indices as int keys) as a dotted path with bracketed indices.
    public static func render(_ codingPath: [any CodingKey]) -> String {
        render(parts: codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue })
    }

    /// Parts already rendered (`"[0]"` for an index) joined into one path.
    public static func render(parts: [String]) -> String {
        parts.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }
}

/// A key an object holds that its type does not know, with the closest known key when it looks like a typo.
public struct UnknownCodingKey: Sendable, Equatable {
    /// The dotted path of the key (`sources[0].synthetic.sed`).
    public var path: String
    /// The unknown key itself.
    public var key: String
    /// The closest known key, if one is close enough to be a typo.
    public var suggestion: String?
}

/// Any string key, for listing what an object actually holds.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// The first key (in sorted order) of the object being decoded that is not among `keys`, or nil; a typo is an
    /// error naming the key rather than a silently ignored setting.
    public func firstUnknownKey<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws -> UnknownCodingKey? {
        let allowed = Keys.allCases.map(\.stringValue)
        let container = try self.container(keyedBy: AnyCodingKey.self)
        let unknown = container.allKeys.map(\.stringValue).filter { !allowed.contains($0) }.sorted()
        guard let first = unknown.first else { return nil }
        let path = CodingKeyPath.render(codingPath + [AnyCodingKey(stringValue: first)])
        return UnknownCodingKey(path: path, key: first, suggestion: DidYouMean.closest(to: first, in: allowed))
    }
}
