/// The three disjoint parts a corpus is split into.
public enum DatasetSplit: String, CaseIterable, Sendable, Codable {
    case train, val, test
}

/// A stratum of the corpus: one label in one language.
public struct Stratum: Hashable, Comparable, Sendable {
    public var label: TriageLabel
    public var lang: RecordLanguage

    public init(label: TriageLabel, lang: RecordLanguage) {
        self.label = label
        self.lang = lang
    }

    public static func < (a: Stratum, b: Stratum) -> Bool { (a.label.rank, a.lang.rawValue) < (b.label.rank, b.lang.rawValue) }

    /// Every stratum, in report order (label by urgency, then language).
    public static let all: [Stratum] = TriageLabel.allCases.flatMap { label in
        RecordLanguage.allCases.map { Stratum(label: label, lang: $0) }
    }
}
