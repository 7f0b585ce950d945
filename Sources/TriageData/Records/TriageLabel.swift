/// The urgency a triage nurse assigns: the label every record carries (design §7).
public enum TriageLabel: String, Codable, Sendable, CaseIterable, Comparable {
    /// Life-threatening now: seen at once.
    case immediate
    /// Needs care within hours, not minutes.
    case medium
    /// Can safely wait or be seen by primary care.
    case delayed

    /// Urgency order: immediate < medium < delayed (lower is more urgent).
    public var rank: Int {
        switch self {
        case .immediate: return 0
        case .medium: return 1
        case .delayed: return 2
        }
    }

    public static func < (a: TriageLabel, b: TriageLabel) -> Bool { a.rank < b.rank }
}

/// The language of a record's text; the corpus is bilingual.
public enum RecordLanguage: String, Codable, Sendable, CaseIterable, Comparable {
    case en
    case fr

    public static func < (a: RecordLanguage, b: RecordLanguage) -> Bool { a.rawValue < b.rawValue }
}
