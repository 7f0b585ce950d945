import Foundation
import PipeBasics

/// A stage's typed params: a `Decodable` struct whose `init()` holds the default of every field.
///
/// The engine passes exactly the declared params, so any field may be missing: decode each with
/// `container.value(forKey:default:)` and call `try decoder.rejectUnknownKeys(CodingKeys.self)` first so a typo in
/// params.yaml is an error naming the key (with a did-you-mean), never a silently ignored setting.
public protocol StageParameters: Decodable, Sendable {
    /// The params.yaml section this stage reads, e.g. `clean`.
    static var section: String { get }
    /// The embedded defaults, used for every field params.yaml leaves out.
    init()
}

/// A key found in params that the stage does not know.
public struct UnknownParamKey: Error, Sendable {
    /// The dotted path of the key inside the section (`sources[0].synthetic.sed`).
    public var path: String
    /// The unknown key itself.
    public var key: String
    /// The closest known key, if one is close enough to be a typo.
    public var suggestion: String?
}

extension Decoder {
    /// Throws `UnknownParamKey` for the first key (in sorted order) of this object not among `keys`.
    public func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        guard let unknown = try firstUnknownKey(keys) else { return }
        throw UnknownParamKey(path: unknown.path, key: unknown.key, suggestion: unknown.suggestion)
    }
}

extension KeyedDecodingContainer {
    /// The value at `key`, or `fallback` when params leave it out (an explicit `null` also means the default).
    public func value<T: Decodable>(forKey key: Key, default fallback: @autoclosure () -> T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback()
    }
}
