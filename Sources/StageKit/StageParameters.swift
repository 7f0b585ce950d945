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

/// Turns `PIPE_PARAMS` into a stage's params struct, mapping every failure to a `StageError(.badParams)`.
public enum StageParamsDecoder {
    /// Decodes `P.section` of the JSON object text `json`; the defaults when the section is absent.
    public static func decode<P: StageParameters>(_ paramsType: P.Type, fromJSON json: String) throws -> P {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        } catch {
            throw StageError(.badParams, "PIPE_PARAMS is not valid JSON (\(error.localizedDescription))",
                             fix: "run the stage through `pipe repro`, or pass a JSON object such as {\"\(P.section)\": {}}")
        }
        guard let object = root as? [String: Any] else {
            throw StageError(.badParams, "PIPE_PARAMS must be a JSON object, got \(type(of: root))",
                             fix: "pass a JSON object such as {\"\(P.section)\": {}}")
        }
        guard let section = object[P.section], !(section is NSNull) else { return P() }
        guard section is [String: Any] else {
            throw StageError(.badParams, "params section '\(P.section)' must be a mapping",
                             fix: "write '\(P.section):' in params.yaml as a mapping of keys to values")
        }
        do {
            let data = try JSONSerialization.data(withJSONObject: section, options: [.sortedKeys])
            let decoder = JSONDecoder()
            decoder.userInfo[sectionKey] = P.section
            return try decoder.decode(P.self, from: data)
        } catch let unknown as UnknownParamKey {
            let hint = unknown.suggestion.map { "did you mean '\($0)'? " } ?? ""
            throw StageError(.badParams, "unknown param '\(P.section).\(unknown.path)'",
                             fix: "\(hint)remove or rename it in params.yaml")
        } catch let error as DecodingError {
            throw StageError(.badParams, describe(error, section: P.section),
                             fix: "correct the value in params.yaml (section '\(P.section)')")
        } catch let error as StageError {
            throw error
        } catch {
            throw StageError(.badParams, "params section '\(P.section)': \(error)")
        }
    }

    static let sectionKey = CodingUserInfoKey(rawValue: "pipe.params.section")!

    /// A one-line message naming the dotted key path of a decoding failure.
    static func describe(_ error: DecodingError, section: String) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            CodingKeyPath.render(parts: [section] + keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue })
        }
        switch error {
        case let .typeMismatch(type, context):
            return "param '\(path(context.codingPath))' has the wrong type: expected \(type)"
        case let .valueNotFound(type, context):
            return "param '\(path(context.codingPath))' is missing a value of type \(type)"
        case let .keyNotFound(key, context):
            return "param '\(path(context.codingPath + [key]))' is required"
        case let .dataCorrupted(context):
            return "param '\(path(context.codingPath))': \(context.debugDescription)"
        @unknown default:
            return "params section '\(section)': \(error)"
        }
    }
}

/// Invalid values found while decoding params (out of range, unknown enum case): throw this from `init(from:)`.
public func invalidParam(_ decoder: any Decoder, _ key: String, _ why: String) -> StageError {
    let section = decoder.userInfo[StageParamsDecoder.sectionKey] as? String
    let parts = [section].compactMap { $0 } + decoder.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue } + [key]
    let path = parts.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    return StageError(.badParams, "param '\(path)' \(why)", fix: "correct it in params.yaml")
}
