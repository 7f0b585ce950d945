/// The metrics normalize writes: totals, per source, per quarantine reason, and the label × language counts.
public enum NormalizeReport {
    /// The report as an ordered JSON object (keys sorted where they are data).
    public static func json(_ result: RecordNormalizer.Result, mappings: [SourceMapping]) -> JSONLineValue {
        var perSource: [(String, JSONLineValue)] = []
        for mapping in mappings {
            let kept = result.records.filter { $0.source == mapping.name }.count
            let quarantined = result.quarantined.filter { $0.source == mapping.name }.count
            perSource.append((mapping.name, .object([("read", .int(result.read[mapping.name] ?? 0)),
                                                     ("kept", .int(kept)), ("quarantined", .int(quarantined))])))
        }
        var reasons: [QuarantineReason: Int] = [:]
        for row in result.quarantined { reasons[row.reason, default: 0] += 1 }
        return .object([
            ("records", .int(result.records.count)),
            ("quarantined", .int(result.quarantined.count)),
            ("language_detected", .int(result.detectedLanguage)),
            ("sources", .object(perSource)),
            ("quarantine_reasons", .object(reasons.keys.sorted().map { ($0.rawValue, .int(reasons[$0]!)) })),
            ("label_by_language", labelByLanguage(result.records)),
        ])
    }

    /// `{"en": {"immediate": n, …}, "fr": {…}}` over `records`.
    public static func labelByLanguage(_ records: [TriageRecord]) -> JSONLineValue {
        var counts: [RecordLanguage: [TriageLabel: Int]] = [:]
        for record in records { counts[record.lang, default: [:]][record.label, default: 0] += 1 }
        return .object(RecordLanguage.allCases.map { lang in
            (lang.rawValue, .object(TriageLabel.allCases.map { ($0.rawValue, .int(counts[lang]?[$0] ?? 0)) }))
        })
    }
}
