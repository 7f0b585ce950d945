/// The clean stage's logic: normalises each record's text, then drops, with a reason, records that are empty, out
/// of length bounds, in the other language than they claim, contradicting their own rationale, or exact or near
/// duplicates of an earlier kept record (exact: same text ignoring case once cleaned; near: shingle Jaccard ≥
/// the threshold). Records are processed in input order, so the first copy wins.
public struct RecordCleaner {
    /// What the stage may tune (params.yaml `clean`).
    public struct Settings: Sendable, Equatable {
        /// Shorter cleaned texts are dropped as `too_short`.
        public var minChars = 40
        /// Longer cleaned texts are dropped as `too_long`.
        public var maxChars = 4_000
        /// Whether to drop records whose text reads as the other language.
        public var checkLanguage = true
        /// Winner share the detector needs before a language mismatch drops a record.
        public var languageConfidence = 0.75
        /// Drop records whose rationale opens with a different urgency than their label (`medium: …`).
        public var dropLabelConflicts = true
        /// Shingle Jaccard at or above which a record is a near-duplicate of an earlier one.
        public var nearDuplicateThreshold = 0.8
        /// Characters per MinHash shingle.
        public var shingleSize = 5
        /// LSH bands (signature length = bands × rows).
        public var bands = 20
        /// Rows per LSH band.
        public var rows = 6
        /// Seeds the MinHash family, so the same seed always finds the same duplicates.
        public var seed: UInt64 = 13

        public init() {}
    }

    /// Why a record was dropped.
    public enum DropReason: String, Sendable, CaseIterable, Comparable {
        case empty
        case tooShort = "too_short"
        case tooLong = "too_long"
        case languageMismatch = "language_mismatch"
        case labelConflict = "label_conflict"
        case exactDuplicate = "exact_duplicate"
        case nearDuplicate = "near_duplicate"

        public static func < (a: DropReason, b: DropReason) -> Bool { a.rawValue < b.rawValue }
    }

    /// A dropped record: which, why, and (for duplicates) the kept record it copies.
    public struct Dropped: Sendable, Equatable, JSONLineEncodable {
        public var id: String
        public var reason: DropReason
        public var detail: String
        public var of: String?

        public var jsonLine: JSONLineValue {
            var fields: [(String, JSONLineValue)] = [("id", .string(id)), ("reason", .string(reason.rawValue)),
                                                     ("detail", .string(detail))]
            if let of { fields.append(("of", .string(of))) }
            return .object(fields)
        }
    }

    /// The outcome of a run.
    public struct Result: Sendable {
        /// Records kept, text cleaned, in input order.
        public var kept: [TriageRecord] = []
        /// Records dropped, in input order.
        public var dropped: [Dropped] = []
        /// Records whose text had markup removed.
        public var markupStripped = 0
        /// Records whose text changed under NFC or whitespace normalisation (markup aside).
        public var normalized = 0
    }

    /// The settings this cleaner applies.
    public let settings: Settings
    private let cleaner = TextCleaner()
    private let detector: LanguageDetector
    private let hasher: MinHasher
    private var index: NearDuplicateIndex
    private var exact: [String: String] = [:]
    private var indexedIDs: [String] = []
    private var result = Result()

    public init(settings: Settings) {
        self.settings = settings
        detector = LanguageDetector(minimumEvidence: 3, minimumConfidence: settings.languageConfidence)
        hasher = MinHasher(shingleSize: settings.shingleSize, hashCount: settings.bands * settings.rows, seed: settings.seed)
        index = NearDuplicateIndex(bands: settings.bands, rows: settings.rows, threshold: settings.nearDuplicateThreshold)
    }

    /// Cleans all records in order.
    public static func run(_ records: [TriageRecord], settings: Settings, progress: (Int) -> Void = { _ in }) -> Result {
        var cleaner = RecordCleaner(settings: settings)
        for (i, record) in records.enumerated() {
            if i % 500 == 0 { progress(i) }
            cleaner.add(record)
        }
        progress(records.count)
        return cleaner.result
    }

    /// Processes one record: kept (with cleaned text) or dropped with a reason.
    public mutating func add(_ record: TriageRecord) {
        func drop(_ reason: DropReason, _ detail: String, of: String? = nil) {
            result.dropped.append(Dropped(id: record.id, reason: reason, detail: detail, of: of))
        }
        let (text, hadMarkup) = cleaner.clean(record.text)
        if hadMarkup { result.markupStripped += 1 } else if text != record.text { result.normalized += 1 }
        let length = text.count
        if length == 0 { return drop(.empty, "no text after cleaning") }
        if length < settings.minChars { return drop(.tooShort, "\(length) characters < min_chars \(settings.minChars)") }
        if length > settings.maxChars { return drop(.tooLong, "\(length) characters > max_chars \(settings.maxChars)") }
        if settings.checkLanguage {
            let verdict = detector.detect(text)
            if let detected = verdict.language, detected != record.lang {
                return drop(.languageMismatch, "labelled \(record.lang.rawValue) but reads as \(detected.rawValue) "
                    + "(confidence \(Int((verdict.confidence * 100).rounded()))%)")
            }
        }
        if settings.dropLabelConflicts, let stated = Self.statedLabel(record.rationale), stated != record.label {
            return drop(.labelConflict, "label \(record.label.rawValue) but the rationale says \(stated.rawValue)")
        }
        let key = text.lowercased()
        if let original = exact[key] { return drop(.exactDuplicate, "same text as \(original)", of: original) }
        let shingles = hasher.shingles(text)
        let signature = hasher.signature(ofShingles: shingles)
        if let match = index.match(signature: signature, shingles: shingles) {
            let original = indexedIDs[match.index]
            return drop(.nearDuplicate, "Jaccard \(Self.percent(match.similarity)) with \(original)", of: original)
        }
        exact[key] = record.id
        index.insert(signature: signature, shingles: shingles)
        indexedIDs.append(record.id)
        var kept = record
        kept.text = text
        result.kept.append(kept)
    }

    /// The urgency a rationale states as its verdict (`immediate: …`), if it opens with one.
    static func statedLabel(_ rationale: String?) -> TriageLabel? {
        rationale.flatMap { TriageRationale($0).verdict }
    }

    static func percent(_ x: Double) -> String {
        let tenths = Int((x * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }
}
