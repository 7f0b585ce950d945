/// Tells English from French with a small stop-word and character model: counts function words and common
/// clinical words of each language, and French accented letters, then picks the clear winner.
///
/// Words shared by both languages (`on`, `a`, `en`, `patient`, `minutes`, `pour` as a noun…) are left out so
/// they cannot tip the balance. Good on the sentences triage notes are made of; not meant for one-word texts.
public struct LanguageDetector: Sendable {
    /// The verdict for one text.
    public struct Verdict: Sendable, Equatable {
        /// The winning language, or nil when the evidence is too thin or too balanced.
        public var language: RecordLanguage?
        /// The winner's share of the evidence (0.5 = a tie, 1 = only one language seen).
        public var confidence: Double
        public var englishScore: Double
        public var frenchScore: Double
    }

    /// Minimum evidence (weighted hits) before any verdict.
    public var minimumEvidence: Double
    /// Minimum winner share for a verdict.
    public var minimumConfidence: Double

    public init(minimumEvidence: Double = 2, minimumConfidence: Double = 0.7) {
        self.minimumEvidence = minimumEvidence
        self.minimumConfidence = minimumConfidence
    }

    static let english: Set<String> = [
        "the", "and", "of", "with", "for", "has", "have", "had", "is", "was", "are", "been", "since", "ago", "her",
        "his", "she", "he", "they", "their", "my", "i", "i'm", "am", "this", "that", "it", "not", "no", "after",
        "before", "from", "at", "by", "be", "an", "or", "but", "when", "who", "which", "what", "will", "can",
        "pain", "chest", "breath", "breathing", "shortness", "history", "presents", "complaining", "year", "old",
        "days", "hours", "weeks", "fever", "cough", "headache", "swelling", "bleeding", "blood", "pressure",
        "rate", "heart", "worse", "started", "began", "woman", "man", "child", "left", "right", "arm", "leg",
        "back", "throat", "vomiting", "nausea", "known", "severe", "mild", "sudden", "over", "out", "about",
        "its", "own", "there", "then", "than", "would", "could", "should", "did", "does", "got", "because", "while",
        "into", "only", "very", "also", "some", "any", "stopped", "since", "now", "today", "yesterday",
    ]
    static let french: Set<String> = [
        "le", "la", "les", "des", "du", "de", "et", "une", "un", "avec", "depuis", "sans", "sur", "au", "aux",
        "est", "il", "elle", "ils", "dans", "par", "qui", "que", "ne", "pas", "plus", "son", "sa", "ses", "mon",
        "ma", "mes", "je", "j'ai", "ai", "ce", "cette", "ou", "mais", "lors", "après", "avant", "chez", "très",
        "douleur", "douleurs", "ans", "jours", "heures", "semaines", "fièvre", "toux", "antécédents",
        "consulte", "consultant", "présente", "motif", "suivi", "gauche", "droite", "bras", "jambe", "gorge",
        "dos", "vomissements", "nausées", "tension", "fréquence", "cardiaque", "respiratoire", "température",
        "brutale", "brutal", "homme", "femme", "enfant", "mal", "tête", "ventre", "poitrine", "été",
    ]
    static let frenchLetters: Set<Character> = ["é", "è", "ê", "à", "ç", "ù", "û", "ô", "î", "œ", "ë", "ï", "â"]

    /// Scores `text` and returns the verdict.
    public func detect(_ text: String) -> Verdict {
        var en = 0.0, fr = 0.0
        var word = ""
        func flush() {
            guard !word.isEmpty else { return }
            if Self.english.contains(word) { en += 1 }
            if Self.french.contains(word) { fr += 1 }
            if let apostrophe = word.firstIndex(of: "'") {
                let head = word[..<apostrophe]
                if ["l", "d", "j", "qu", "n", "s", "c"].contains(head) { fr += 0.5 }
            }
            word = ""
        }
        for ch in text.lowercased() {
            if ch.isLetter || ch == "'" || ch == "’" {
                word.append(ch == "’" ? "'" : ch)
                if Self.frenchLetters.contains(ch) { fr += 0.25 }
            } else {
                flush()
            }
        }
        flush()
        let total = en + fr
        guard total >= minimumEvidence else {
            return Verdict(language: nil, confidence: 0, englishScore: en, frenchScore: fr)
        }
        let share = max(en, fr) / total
        let winner: RecordLanguage? = share >= minimumConfidence ? (en > fr ? .en : .fr) : nil
        return Verdict(language: winner, confidence: share, englishScore: en, frenchScore: fr)
    }
}
