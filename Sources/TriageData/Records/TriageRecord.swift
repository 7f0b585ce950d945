/// One triage case: a patient description and its urgency label (design §7).
public struct TriageRecord: Codable, Sendable, Equatable, JSONLineEncodable {
    /// Unique within the corpus; normalize prefixes nothing, so sources must not collide (normalize checks).
    public var id: String
    /// The source the record came from (a params name such as `synthetic-jsonl`).
    public var source: String
    public var lang: RecordLanguage
    /// The free-text patient description.
    public var text: String
    public var label: TriageLabel
    /// An optional clinical justification of the label.
    public var rationale: String?

    public init(id: String, source: String, lang: RecordLanguage, text: String, label: TriageLabel,
                rationale: String? = nil) {
        self.id = id
        self.source = source
        self.lang = lang
        self.text = text
        self.label = label
        self.rationale = rationale
    }

    /// Key order `id, source, lang, text, label, rationale`.
    public var jsonLine: JSONLineValue {
        var fields: [(String, JSONLineValue)] = [
            ("id", .string(id)), ("source", .string(source)), ("lang", .string(lang.rawValue)),
            ("text", .string(text)), ("label", .string(label.rawValue)),
        ]
        if let rationale { fields.append(("rationale", .string(rationale))) }
        return .object(fields)
    }
}

/// One supervised fine-tuning row: a chat prompt (see `TriagePrompt`) and the expected completion.
public struct SFTRow: Codable, Sendable, Equatable, JSONLineEncodable {
    public var prompt: String
    public var completion: String
    public var lang: RecordLanguage
    public var label: TriageLabel

    public init(prompt: String, completion: String, lang: RecordLanguage, label: TriageLabel) {
        self.prompt = prompt
        self.completion = completion
        self.lang = lang
        self.label = label
    }

    /// Key order `prompt, completion, lang, label`.
    public var jsonLine: JSONLineValue {
        .object([("prompt", .string(prompt)), ("completion", .string(completion)),
                 ("lang", .string(lang.rawValue)), ("label", .string(label.rawValue))])
    }
}

/// One preference row for DPO: the same prompt with a preferred and a dispreferred answer.
public struct DPORow: Codable, Sendable, Equatable, JSONLineEncodable {
    public var prompt: String
    public var chosen: String
    /// A wrong or under-triaged answer.
    public var rejected: String
    public var lang: RecordLanguage

    public init(prompt: String, chosen: String, rejected: String, lang: RecordLanguage) {
        self.prompt = prompt
        self.chosen = chosen
        self.rejected = rejected
        self.lang = lang
    }

    /// Key order `prompt, chosen, rejected, lang`.
    public var jsonLine: JSONLineValue {
        .object([("prompt", .string(prompt)), ("chosen", .string(chosen)), ("rejected", .string(rejected)),
                 ("lang", .string(lang.rawValue))])
    }
}
