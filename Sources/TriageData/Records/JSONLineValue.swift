import PipeBasics

/// A JSON Lines value: the project's one ordered JSON value (`PipeBasics.JSONValue`), so records serialise
/// byte-identically on every run.
public typealias JSONLineValue = JSONValue

extension JSONFormat {
    /// How records and data reports are written: compact, keys in order, UTF-8 kept, whole doubles as integers.
    public static let jsonLines = JSONFormat(doubles: .integralAsInteger)
}

/// A row that serialises to one JSON Lines object with a fixed key order.
public protocol JSONLineEncodable {
    /// The fields in output order; optional fields absent when nil.
    var jsonLine: JSONLineValue { get }
}
