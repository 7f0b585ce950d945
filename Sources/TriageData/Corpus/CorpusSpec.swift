/// What the synthetic corpus generator makes: its size, seed, language mix and how much noise of each kind.
public struct CorpusSpec: Sendable, Equatable {
    /// Rows emitted in total (noise rows included).
    public var count: Int
    public var seed: UInt64
    /// Share of cases written in French (0…1).
    public var frenchShare: Double
    public var noise: NoiseRates
    /// Write notes in many surfaces (`NoteSurface`: shorthand, relatives' reports, varied vital-sign formats and
    /// units, abbreviations, typos) over the extended catalog. Off by default: measured in docs/training.md
    /// ("Run R"), the 0.87M-parameter model trained on it fell below the test-split goals within the same budget.
    public var surfaceVariety: Bool
    /// Draw cases from the extended catalog (`ComplaintCatalog.extended`: the shorthand phrases of each
    /// presentation and the added presentations) but write them in the default wording; implied by `surfaceVariety`.
    public var extendedCatalog: Bool

    public init(count: Int, seed: UInt64, frenchShare: Double = 0.45, noise: NoiseRates = NoiseRates(),
                surfaceVariety: Bool = false, extendedCatalog: Bool = false) {
        self.count = count
        self.seed = seed
        self.frenchShare = frenchShare
        self.noise = noise
        self.surfaceVariety = surfaceVariety
        self.extendedCatalog = extendedCatalog
    }
}

/// Per-row probabilities of each kind of noise real triage exports have.
public struct NoiseRates: Sendable, Equatable {
    /// A verbatim copy of an earlier row under a new id.
    public var exactDuplicate = 0.03
    /// A lightly edited copy of an earlier row (punctuation, casing of one letter, a closing remark).
    public var nearDuplicate = 0.04
    /// HTML tags, entities or Markdown around sentences.
    public var markup = 0.06
    /// Empty or blank text.
    public var empty = 0.008
    /// Text blown up past any sane length (pasted logs, repeated paragraphs).
    public var oversized = 0.005
    /// A label that contradicts the stated rules.
    public var mislabel = 0.02
    /// Whole text in capitals, or decomposed (NFD) accents and stray whitespace.
    public var casing = 0.03
    /// Language field saying the other language.
    public var wrongLanguage = 0.01
    /// Rows the source format itself gets wrong (broken syntax, missing or unknown label, missing id).
    public var malformed = 0.01
    /// Rows carrying personal data (names, phones, e-mails, dates of birth, addresses, NIR, record numbers).
    public var personalData = 0.65

    public init() {}

    /// No noise at all (tests of the clean path).
    public static var none: NoiseRates {
        var rates = NoiseRates()
        rates.exactDuplicate = 0; rates.nearDuplicate = 0; rates.markup = 0; rates.empty = 0; rates.oversized = 0
        rates.mislabel = 0; rates.casing = 0; rates.wrongLanguage = 0; rates.malformed = 0
        return rates
    }
}

/// One row of the generated corpus, before it is written in a source format.
public struct GeneratedRow: Sendable, Equatable {
    /// How the source file should get this row wrong, if at all.
    public enum Defect: String, Sendable, Equatable { case brokenSyntax, missingLabel, unknownLabel, missingID }

    public var id: String
    public var lang: RecordLanguage
    public var text: String
    public var label: TriageLabel
    public var rationale: String
    /// The complaint name (MedQuAD `Focus`).
    public var focus: String
    public var defect: Defect?
}

/// A noise event recorded for scoring the cleaning stages: which row, what was done, and from which row.
public struct NoiseTruth: Sendable, Equatable, JSONLineEncodable {
    public var id: String
    public var kind: String
    public var of: String?

    public var jsonLine: JSONLineValue {
        var fields: [(String, JSONLineValue)] = [("id", .string(id)), ("kind", .string(kind))]
        if let of { fields.append(("of", .string(of))) }
        return .object(fields)
    }
}

/// The generated corpus: rows, where each personal-data value was injected, and the noise applied.
public struct GeneratedCorpus: Sendable {
    public var rows: [GeneratedRow]
    public var personalData: [PersonalDataTruth]
    public var noise: [NoiseTruth]
}
