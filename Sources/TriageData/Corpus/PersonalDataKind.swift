/// The kinds of personal data the generator injects and anonymisation replaces, with their placeholder text.
public enum PersonalDataKind: String, Codable, Sendable, CaseIterable, Comparable {
    case name = "NAME"
    case phone = "PHONE"
    case email = "EMAIL"
    case date = "DATE"
    case address = "ADDRESS"
    case nir = "NIR"
    case recordID = "RECORD_ID"

    /// The typed placeholder that replaces a value, e.g. `[PHONE]`.
    public var placeholder: String { "[\(rawValue)]" }

    public static func < (a: PersonalDataKind, b: PersonalDataKind) -> Bool { a.rawValue < b.rawValue }
}

/// One injected personal-data value: the ground truth anonymisation is scored against.
public struct PersonalDataTruth: Codable, Sendable, Equatable, JSONLineEncodable {
    /// The record it was injected into.
    public var id: String
    public var type: PersonalDataKind
    /// The exact text injected (before any later whitespace or casing change).
    public var value: String

    public init(id: String, type: PersonalDataKind, value: String) {
        self.id = id
        self.type = type
        self.value = value
    }

    public var jsonLine: JSONLineValue {
        .object([("id", .string(id)), ("type", .string(type.rawValue)), ("value", .string(value))])
    }
}
