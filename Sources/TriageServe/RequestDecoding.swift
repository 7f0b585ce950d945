import Foundation
import PipeBasics

/// Decodes request bodies strictly: malformed JSON, a missing or mistyped field, and any field the type does not
/// know all become a 400 `APIError` whose `param` is the path of the field at fault.
public enum RequestDecoding {
    /// `body` as `T`, or the `APIError` naming what is wrong with it.
    public static func decode<T: Decodable>(_ type: T.Type, from body: Data) throws(APIError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: body)
        } catch let error as APIError {
            throw error
        } catch let DecodingError.keyNotFound(key, context) {
            let path = CodingKeyPath.render(context.codingPath + [key])
            throw .invalid(path, "`\(path)` is required", code: "missing_field")
        } catch let DecodingError.typeMismatch(expected, context) {
            let path = CodingKeyPath.render(context.codingPath)
            guard !path.isEmpty else { throw .invalid(nil, "the body must be a JSON object", code: "invalid_type") }
            throw .invalid(path, "`\(path)` must be \(Self.name(of: expected))", code: "invalid_type")
        } catch let DecodingError.valueNotFound(expected, context) {
            let path = CodingKeyPath.render(context.codingPath)
            guard !path.isEmpty else { throw .invalid(nil, "the body must be a JSON object, not null", code: "invalid_type") }
            throw .invalid(path, "`\(path)` must be \(Self.name(of: expected)), not null", code: "invalid_type")
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            let path = CodingKeyPath.render(context.codingPath)
            throw .invalid(path, "`\(path)`: \(context.debugDescription)", code: "invalid_value")
        } catch {
            throw .invalid(nil, "the body is not valid JSON", code: "invalid_json")
        }
    }

    /// Throws a 400 naming the first field of the object `decoder` reads that `keys` does not list.
    public static func rejectUnknownFields<Keys: CodingKey & CaseIterable>(_ decoder: any Decoder,
                                                                           _ keys: Keys.Type) throws {
        guard let unknown = try decoder.firstUnknownKey(keys) else { return }
        let hint = unknown.suggestion.map { " (did you mean `\($0)`?)" } ?? ""
        throw APIError.invalid(unknown.path, "unknown field `\(unknown.path)`\(hint)", code: "unknown_field")
    }

    /// Throws a 400 naming the first field that neither `keys` nor `shared` lists: for a request whose fields are
    /// read by two types (its own, and `SamplingOptions` for the sampling fields both completion routes take).
    public static func rejectUnknownFields<Keys: CodingKey & CaseIterable, Shared: CodingKey & CaseIterable>(
        _ decoder: any Decoder, _ keys: Keys.Type, _ shared: Shared.Type) throws {
        try rejectUnknownFields(decoder, UnionKeys<Keys, Shared>.self)
    }

    /// A JSON-ish name for a Swift type in messages.
    static func name(of type: Any.Type) -> String {
        let swiftName = String(describing: type)
        if swiftName == "String" { return "a string" }
        if swiftName.hasPrefix("Int") || swiftName.hasPrefix("UInt") { return "an integer" }
        if swiftName == "Double" || swiftName == "Float" { return "a number" }
        if swiftName == "Bool" { return "true or false" }
        if swiftName.hasPrefix("Array") || swiftName.hasPrefix("[") { return "an array" }
        return "an object"
    }
}

/// The keys of two `CodingKey` types as one, so one unknown-field check covers a request read by both.
struct UnionKeys<A: CodingKey & CaseIterable, B: CodingKey & CaseIterable>: CodingKey, CaseIterable {
    let stringValue: String
    var intValue: Int? { nil }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
    static var allCases: [UnionKeys] {
        (A.allCases.map(\.stringValue) + B.allCases.map(\.stringValue)).compactMap(UnionKeys.init(stringValue:))
    }
}
