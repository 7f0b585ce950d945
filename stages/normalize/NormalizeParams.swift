import StageKit
import TriageData
import PipeBasics

/// params.yaml `normalize`: the output directory, the report path and one mapping per source file.
struct NormalizeParams: StageParameters {
    static let section = "normalize"

    /// Receives `records.jsonl` and `quarantine.jsonl`.
    var out = "data/normalized"
    /// The metrics JSON.
    var report = "reports/normalize.json"
    var sources: [SourceMapping] = NormalizeParams.syntheticSources

    /// The mappings of the files `download` writes for its default synthetic source.
    static let syntheticSources = [
        SourceMapping(name: "synthetic-jsonl", path: "data/raw/synthetic/cases.jsonl", format: .jsonl,
                      fields: ["id": "case_id", "lang": "lang", "text": "narrative", "label": "urgency",
                               "rationale": "rationale"]),
        SourceMapping(name: "synthetic-csv", path: "data/raw/synthetic/cases.csv", format: .csv,
                      fields: ["id": "record", "lang": "language", "text": "description", "label": "triage_level",
                               "rationale": "notes"],
                      labels: ["P1": .immediate, "P2": .medium, "P3": .delayed]),
        SourceMapping(name: "synthetic-medquad", path: "data/raw/synthetic/medquad", format: .xml,
                      fields: ["id": "Question@qid", "text": "Question", "label": "Answer@urgency", "rationale": "Answer"]),
    ]

    init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case out, report, sources }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = NormalizeParams()
        out = try c.value(forKey: .out, default: d.out)
        report = try c.value(forKey: .report, default: d.report)
        sources = try c.value(forKey: .sources, default: [SourceParams]()).map(\.mapping)
        if !c.contains(.sources) { sources = d.sources }
        guard !sources.isEmpty else { throw invalidParam(decoder, "sources", "is empty; list at least one source") }
        var names: Set<String> = []
        for source in sources where !names.insert(source.name).inserted {
            throw invalidParam(decoder, "sources", "names '\(source.name)' twice; source names must be unique")
        }
    }
}

/// One `sources` entry, decoded strictly into a `SourceMapping`.
struct SourceParams: Decodable {
    var mapping: SourceMapping

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, path, format, fields, labels, lang
        case recordElement = "record_element"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(String.self, forKey: .name)
        let path = try c.decode(String.self, forKey: .path)
        let formatText = try c.decode(String.self, forKey: .format)
        guard let format = SourceMapping.Format(rawValue: formatText.lowercased()) else {
            throw invalidParam(decoder, "format", "of source '\(name)' is '\(formatText)'; use jsonl, csv or xml")
        }
        let fields = try c.decode([String: String].self, forKey: .fields)
        for key in fields.keys.sorted() where !SourceMapping.recordFields.contains(key) {
            let hint = DidYouMean.closest(to: key, in: SourceMapping.recordFields).map { " (did you mean '\($0)'?)" } ?? ""
            throw invalidParam(decoder, "fields.\(key)", "of source '\(name)' is not a record field\(hint); "
                + "map id, text, label, lang or rationale")
        }
        for key in SourceMapping.requiredFields where fields[key] == nil {
            throw invalidParam(decoder, "fields", "of source '\(name)' must map '\(key)'")
        }
        var labels: [String: TriageLabel] = [:]
        for (spelling, target) in try c.value(forKey: .labels, default: [String: String]()) {
            guard let label = TriageLabel(rawValue: target) else {
                throw invalidParam(decoder, "labels.\(spelling)", "maps to '\(target)'; use immediate, medium or delayed")
            }
            labels[spelling] = label
        }
        var lang: RecordLanguage?
        if let text = try c.decodeIfPresent(String.self, forKey: .lang) {
            guard let value = RecordLanguage(rawValue: text) else {
                throw invalidParam(decoder, "lang", "of source '\(name)' is '\(text)'; use en or fr (or leave it out to detect)")
            }
            lang = value
        }
        mapping = SourceMapping(name: name, path: path, format: format, fields: fields, labels: labels,
                                defaultLanguage: lang,
                                recordElement: try c.value(forKey: .recordElement, default: "QAPair"))
    }
}
