/// The metrics clean writes: counts in and out, per drop reason, what was normalised, the label × language table
/// and, when the generator's noise truth is given, how each kind of injected noise ended up.
public enum CleanReport {
    /// The report as an ordered JSON object.
    public static func json(input: Int, result: RecordCleaner.Result, noise: [NoiseTruth]?) -> JSONLineValue {
        var reasons: [RecordCleaner.DropReason: Int] = [:]
        for d in result.dropped { reasons[d.reason, default: 0] += 1 }
        var fields: [(String, JSONLineValue)] = [
            ("input", .int(input)),
            ("kept", .int(result.kept.count)),
            ("dropped", .int(result.dropped.count)),
            ("drop_reasons", .object(RecordCleaner.DropReason.allCases.sorted().map { ($0.rawValue, .int(reasons[$0] ?? 0)) })),
            ("markup_stripped", .int(result.markupStripped)),
            ("whitespace_or_unicode_normalized", .int(result.normalized)),
            ("label_by_language", NormalizeReport.labelByLanguage(result.kept)),
        ]
        if let noise {
            fields.append(("duplicate_pairs", duplicatePairs(result, noise: noise)))
            fields.append(("noise_outcomes", outcomes(result, noise: noise)))
        }
        return .object(fields)
    }

    /// Injected duplicate pairs (copy, original) and how many still have both sides kept (missed duplicates).
    static func duplicatePairs(_ result: RecordCleaner.Result, noise: [NoiseTruth]) -> JSONLineValue {
        let kept = Set(result.kept.map(\.id))
        let pairs = noise.compactMap { n in n.of.map { (n.id, $0) } }
        let bothKept = pairs.filter { kept.contains($0.0) && kept.contains($0.1) }.count
        let oneKept = pairs.filter { kept.contains($0.0) != kept.contains($0.1) }.count
        return .object([("injected", .int(pairs.count)), ("one_side_kept", .int(oneKept)),
                        ("both_kept_missed", .int(bothKept))])
    }

    /// For each injected noise kind, how many of its rows were kept or dropped for each reason; plus the rows
    /// dropped that carried no injected noise (`clean_rows`), i.e. collateral removals.
    static func outcomes(_ result: RecordCleaner.Result, noise: [NoiseTruth]) -> JSONLineValue {
        var fate: [String: String] = [:]
        for record in result.kept { fate[record.id] = "kept" }
        for d in result.dropped { fate[d.id] = d.reason.rawValue }
        var kindsByID: [String: [String]] = [:]
        for n in noise { kindsByID[n.id, default: []].append(n.kind) }
        var table: [String: [String: Int]] = [:]
        for (id, outcome) in fate {
            for kind in kindsByID[id] ?? ["clean_rows"] { table[kind, default: [:]][outcome, default: 0] += 1 }
        }
        return .object(table.keys.sorted().map { kind in
            (kind, .object(table[kind]!.keys.sorted().map { ($0, .int(table[kind]![$0]!)) }))
        })
    }
}

extension NoiseTruth: Decodable {
    enum CodingKeys: String, CodingKey { case id, kind, of }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id), kind: try c.decode(String.self, forKey: .kind),
                  of: try c.decodeIfPresent(String.self, forKey: .of))
    }
}
