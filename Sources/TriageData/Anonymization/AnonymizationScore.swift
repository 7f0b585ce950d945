import Foundation

/// Scores anonymisation against the generator's ground truth.
///
/// Each true value is looked up as a whole word (case-insensitively, after the same NFC + whitespace folding clean
/// applies) in the text anonymize received. A located value is recalled when replaced spans cover all of its non-space
/// characters; values no longer present (their record was rewritten upstream) are counted as unlocated, not as
/// hits. A replaced span is a true positive when it overlaps a located true value of the same record.
public struct AnonymizationScore: Sendable {
    /// Counts for one kind.
    public struct KindCounts: Sendable, Equatable {
        /// True values of this kind in the scored records.
        public var truth = 0
        /// True values found in the text anonymize received.
        public var located = 0
        /// Located values fully covered by replacements.
        public var recalled = 0
        /// Spans of this kind replaced.
        public var replaced = 0
        /// Replaced spans of this kind that overlap a true value.
        public var truePositives = 0
    }

    /// Counts per kind.
    public var kinds: [PersonalDataKind: KindCounts] = [:]
    /// Replaced spans overlapping no true value.
    public var falsePositives = 0
    /// False positives containing a clinical word (an eponym or a word of the complaint vocabulary).
    public var clinicalWordsReplaced = 0
    /// Up to 20 misses and 20 false positives, for people reading the report.
    public var missedExamples: [String] = []
    public var falsePositiveExamples: [String] = []

    public init() {}

    public var located: Int { kinds.values.map(\.located).reduce(0, +) }
    public var recalled: Int { kinds.values.map(\.recalled).reduce(0, +) }
    public var replaced: Int { kinds.values.map(\.replaced).reduce(0, +) }
    public var truePositives: Int { kinds.values.map(\.truePositives).reduce(0, +) }
    /// Recalled / located over all kinds (1 when nothing was located).
    public var recall: Double { located == 0 ? 1 : Double(recalled) / Double(located) }
    /// True positives / replaced over all kinds (1 when nothing was replaced).
    public var precision: Double { replaced == 0 ? 1 : Double(truePositives) / Double(replaced) }

    static let cleaner = TextCleaner()

    /// Adds one record: its text before anonymisation, the spans replaced, and its true values.
    public mutating func add(id: String, text: String, spans: [PersonalDataSpan], truth: [PersonalDataTruth],
                             clinicalWords: Set<String>) {
        let ns = text as NSString
        var truthRanges: [NSRange] = []
        for item in truth {
            kinds[item.type, default: KindCounts()].truth += 1
            let value = Self.cleaner.collapseWhitespace(item.value.precomposedStringWithCanonicalMapping)
            guard !value.isEmpty else { continue }
            var search = NSRange(location: 0, length: ns.length)
            var occurrences: [NSRange] = []
            while true {
                let found = ns.range(of: value, options: [.caseInsensitive], range: search)
                if found.location == NSNotFound { break }
                if Self.isWholeWord(found, in: ns) { occurrences.append(found) }
                let next = found.location + found.length
                search = NSRange(location: next, length: ns.length - next)
            }
            guard !occurrences.isEmpty else { continue }
            kinds[item.type]!.located += 1
            truthRanges += occurrences
            let covered = occurrences.allSatisfy { Self.covered($0, by: spans, in: ns) }
            if covered { kinds[item.type]!.recalled += 1 } else if missedExamples.count < 20 {
                missedExamples.append("\(id) \(item.type.rawValue) '\(item.value)'")
            }
        }
        for span in spans {
            kinds[span.kind, default: KindCounts()].replaced += 1
            if truthRanges.contains(where: { span.overlaps($0) }) {
                kinds[span.kind]!.truePositives += 1
            } else {
                falsePositives += 1
                let replacedText = ns.substring(with: span.range)
                let words = replacedText.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
                if words.contains(where: clinicalWords.contains) { clinicalWordsReplaced += 1 }
                if falsePositiveExamples.count < 20 {
                    falsePositiveExamples.append("\(id) \(span.kind.rawValue) '\(replacedText)'")
                }
            }
        }
    }

    /// Whether `range` neither starts nor ends inside a word (`Petit` in `petite` is not an occurrence).
    static func isWholeWord(_ range: NSRange, in ns: NSString) -> Bool {
        func isWordUnit(_ offset: Int) -> Bool {
            guard offset >= 0, offset < ns.length, let scalar = Unicode.Scalar(ns.character(at: offset)) else { return false }
            return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
        }
        return !isWordUnit(range.location - 1) && !isWordUnit(range.location + range.length)
    }

    /// Whether every non-space UTF-16 unit of `range` lies inside some span.
    static func covered(_ range: NSRange, by spans: [PersonalDataSpan], in ns: NSString) -> Bool {
        for offset in range.location..<(range.location + range.length) {
            let unit = ns.character(at: offset)
            if unit == 0x20 { continue }
            if !spans.contains(where: { NSLocationInRange(offset, $0.range) }) { return false }
        }
        return true
    }

    /// The clinical vocabulary a replaced span must never contain: every word of four letters or more in the
    /// complaint and history phrase banks, plus the eponyms.
    public static func clinicalVocabulary() -> Set<String> {
        var words: Set<String> = Set(NameLexicon.clinicalEponyms.map { $0.lowercased() })
        let phrases = ComplaintCatalog.extended.flatMap { $0.presentations.flatMap { $0.english + $0.french } }
            + ComplaintCatalog.history.flatMap { [$0.en, $0.fr] }
        for phrase in phrases {
            for w in phrase.lowercased().split(whereSeparator: { !$0.isLetter }) where w.count >= 4 { words.insert(String(w)) }
        }
        return words
    }

    /// The figures as an ordered JSON object for the metrics file.
    public var json: JSONLineValue {
        func ratio(_ x: Double) -> JSONLineValue { .double((x * 10_000).rounded() / 10_000) }
        var perKind: [(String, JSONLineValue)] = []
        for kind in PersonalDataKind.allCases {
            let c = kinds[kind] ?? KindCounts()
            perKind.append((kind.rawValue, .object([
                ("truth", .int(c.truth)), ("located", .int(c.located)), ("recalled", .int(c.recalled)),
                ("recall", ratio(c.located == 0 ? 1 : Double(c.recalled) / Double(c.located))),
                ("replaced", .int(c.replaced)),
                ("precision", ratio(c.replaced == 0 ? 1 : Double(c.truePositives) / Double(c.replaced))),
            ])))
        }
        return .object([
            ("recall", ratio(recall)), ("precision", ratio(precision)),
            ("located", .int(located)), ("recalled", .int(recalled)),
            ("unlocated", .int(kinds.values.map { $0.truth - $0.located }.reduce(0, +))),
            ("replaced", .int(replaced)), ("false_positives", .int(falsePositives)),
            ("clinical_words_replaced", .int(clinicalWordsReplaced)),
            ("per_type", .object(perKind)),
            ("missed_examples", .array(missedExamples.map { .string($0) })),
            ("false_positive_examples", .array(falsePositiveExamples.map { .string($0) })),
        ])
    }
}

extension PersonalDataTruth {
    enum CodingKeys: String, CodingKey { case id, type, value }
}
