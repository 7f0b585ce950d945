/// The three disjoint parts a corpus is split into.
public enum DatasetSplit: String, CaseIterable, Sendable, Codable {
    case train, val, test
}

/// A stratum of the corpus: one label in one language.
public struct Stratum: Hashable, Comparable, Sendable {
    /// The urgency label.
    public var label: TriageLabel
    /// The language.
    public var lang: RecordLanguage

    /// The stratum of `label` in `lang`.
    public init(label: TriageLabel, lang: RecordLanguage) {
        self.label = label
        self.lang = lang
    }

    /// Report order: by urgency, then language.
    public static func < (a: Stratum, b: Stratum) -> Bool { (a.label.rank, a.lang.rawValue) < (b.label.rank, b.lang.rawValue) }

    /// Every stratum, in report order (label by urgency, then language).
    public static let all: [Stratum] = TriageLabel.allCases.flatMap { label in
        RecordLanguage.allCases.map { Stratum(label: label, lang: $0) }
    }
}
