/// How one source file maps onto the record schema: its format and which of its fields hold each record field.
public struct SourceMapping: Sendable, Equatable {
    /// The file formats normalize reads.
    public enum Format: String, Sendable, CaseIterable {
        case jsonl
        case csv
        case xml
    }

    /// The `source` value records from this file get.
    public var name: String
    /// A file, or a directory whose files with the format's extension are read in name order.
    public var path: String
    /// How the file is parsed.
    public var format: Format
    /// Source field holding each record field: keys `id`, `text`, `label` (required), `lang`, `rationale`.
    /// JSONL: top-level keys; CSV: header names; XML: `Element` text or `Element@attribute`.
    public var fields: [String: String]
    /// Extra label spellings, e.g. `P1: immediate` (matched case-insensitively; canonical names always work).
    public var labels: [String: TriageLabel]
    /// The language to use when the mapping has no `lang` field; nil means detect it from the text.
    public var defaultLanguage: RecordLanguage?
    /// XML only: the element that makes one record.
    public var recordElement: String

    public init(name: String, path: String, format: Format, fields: [String: String],
                labels: [String: TriageLabel] = [:], defaultLanguage: RecordLanguage? = nil,
                recordElement: String = "QAPair") {
        self.name = name
        self.path = path
        self.format = format
        self.fields = fields
        self.labels = labels
        self.defaultLanguage = defaultLanguage
        self.recordElement = recordElement
    }

    /// The record fields a mapping may name.
    public static let recordFields = ["id", "text", "label", "lang", "rationale"]
    /// The record fields a mapping must name.
    public static let requiredFields = ["id", "text", "label"]
}

/// Why a row went to quarantine instead of the records.
public enum QuarantineReason: String, Sendable, CaseIterable, Comparable {
    case syntax = "syntax_error"
    case missingField = "missing_field"
    case unknownLabel = "unknown_label"
    case unknownLanguage = "unknown_language"
    case undeterminedLanguage = "undetermined_language"
    case duplicateID = "duplicate_id"
    case wrongColumnCount = "wrong_column_count"

    public static func < (a: QuarantineReason, b: QuarantineReason) -> Bool { a.rawValue < b.rawValue }
}

/// A row normalize could not turn into a record: where it was, why, and its raw content.
public struct QuarantinedRow: Sendable, Equatable, JSONLineEncodable {
    public var source: String
    /// `file:line` for JSONL and CSV, `file#n` (n-th record element) for XML.
    public var location: String
    public var reason: QuarantineReason
    public var detail: String
    public var raw: String

    public var jsonLine: JSONLineValue {
        .object([("source", .string(source)), ("location", .string(location)), ("reason", .string(reason.rawValue)),
                 ("detail", .string(detail)), ("raw", .string(raw))])
    }
}
