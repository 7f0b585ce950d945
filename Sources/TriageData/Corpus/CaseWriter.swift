/// Writes the sentences of a case description in one language. Each language has its own phrase banks and
/// sentence shapes (English clinical shorthand, patient-written notes; French IOA notes with `TA`, `EVA`, comma
/// decimals), so the corpus is not one template translated.
protocol CaseWriter {
    /// The opening sentence: who the patient is and the chief complaint; names the patient when `name` is given.
    static func intro(_ c: ClinicalCase, complaint: String, name: (first: String, last: String)?,
                      _ rng: inout CorpusRandom) -> (text: String, nameValue: String?)
    /// When it started.
    static func onset(hours: Double, _ rng: inout CorpusRandom) -> String
    /// The vital signs; every abnormal one is stated, normal ones may be left out.
    static func vitals(_ v: Vitals, _ rng: inout CorpusRandom) -> String
    /// The pain score.
    static func pain(_ score: Int, _ rng: inout CorpusRandom) -> String
    /// Past history (empty items: "no significant history").
    static func history(_ items: [Int], _ rng: inout CorpusRandom) -> String
    /// A sentence carrying one piece of personal data of `kind`, and the exact values it holds.
    static func personal(_ kind: PersonalDataKind, _ c: ClinicalCase,
                         _ rng: inout CorpusRandom) -> (String, [(PersonalDataKind, String)])
}

extension CaseWriter {
    /// Which vitals the text must state: the abnormal ones always, the rest with probability `keep`.
    static func mustState(_ v: Vitals) -> (hr: Bool, bp: Bool, rr: Bool, spo2: Bool, temp: Bool) {
        (v.heartRate < 50 || v.heartRate > 100, v.systolic < 100 || v.systolic >= 180,
         v.respiratoryRate < 10 || v.respiratoryRate >= 21, v.spo2 < 95, v.temperature >= 37.8 || v.temperature < 35.5)
    }
}
