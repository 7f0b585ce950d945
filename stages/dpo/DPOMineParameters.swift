import StageKit

/// `dpo.mine` in params.yaml: the pairs mined from the SFT model's own mistakes (`DPOPairMiner`). With
/// `records: 0` nothing is mined and the stage trains on `dpo.pairs` alone (the behaviour before issue 16).
/// The defaults are the shipped values (docs/training.md, run Q).
struct DPOMineParameters: Decodable, Sendable, Equatable {
    /// The records scored for mistakes: the train split (never val — evaluate calibrates there — nor test).
    var train = "data/split/train.jsonl"
    /// How many records of a seeded shuffle of `train` the SFT model scores (0 = no mining; more than the split
    /// holds = all of it).
    var records = 10000
    /// A right call leading its runner-up by less than this many nats still gives a pair (rejected = runner-up).
    var margin = 3.0
    /// How many times a pair whose truth is `immediate` is listed: an under-triage costs more than an over-triage.
    var underTriageWeight = 4
    /// Whether `dpo.pairs` rows make up the rest of the pairs the steps consume, so DPO also sees cases the model
    /// already gets right (an anchor against over-triage).
    var fill = true

    init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case train, records, margin, fill
        case underTriageWeight = "under_triage_weight"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        train = try c.value(forKey: .train, default: d.train)
        records = try c.value(forKey: .records, default: d.records)
        margin = try c.value(forKey: .margin, default: d.margin)
        underTriageWeight = try c.value(forKey: .underTriageWeight, default: d.underTriageWeight)
        fill = try c.value(forKey: .fill, default: d.fill)
        if records < 0 { throw invalidParam(decoder, "records", "is \(records): it must be 0 (no mining) or positive") }
        if !(margin >= 0) || !margin.isFinite { throw invalidParam(decoder, "margin", "must be a finite number of nats ≥ 0") }
        if underTriageWeight < 1 {
            throw invalidParam(decoder, "under_triage_weight", "is \(underTriageWeight): it must be at least 1 (1 = unweighted)")
        }
    }
}
