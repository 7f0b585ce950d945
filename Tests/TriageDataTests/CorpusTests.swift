import Foundation
import Testing
@testable import TriageData

private func vitals(hr: Int = 80, sys: Int = 125, rr: Int = 16, spo2: Int = 98, t: Double = 36.8) -> Vitals {
    Vitals(heartRate: hr, systolic: sys, diastolic: 75, respiratoryRate: rr, spo2: spo2, temperature: t)
}

/// A case on a delayed presentation (sore throat) so only vitals, pain and age can raise it.
private func minorCase(age: Int = 40, v: Vitals = vitals(), pain: Int? = nil) -> ClinicalCase {
    let complaint = ComplaintCatalog.all.firstIndex { $0.name == "ear nose throat" }!
    return ClinicalCase(age: age, sex: .female, complaintIndex: complaint, presentationIndex: 0, onsetHours: 48,
                        vitals: v, pain: pain, history: [])
}

@Test func theTriageRulesTakeTheMostUrgentFinding() {
    #expect(TriageRules.assess(minorCase()).label == .delayed)
    #expect(TriageRules.assess(minorCase(v: vitals(spo2: 88))).label == .immediate)
    #expect(TriageRules.assess(minorCase(v: vitals(spo2: 92))).label == .medium)
    #expect(TriageRules.assess(minorCase(v: vitals(sys: 85))).label == .immediate)
    #expect(TriageRules.assess(minorCase(v: vitals(hr: 135))).label == .immediate)
    #expect(TriageRules.assess(minorCase(v: vitals(hr: 115))).label == .medium)
    #expect(TriageRules.assess(minorCase(v: vitals(rr: 32))).label == .immediate)
    #expect(TriageRules.assess(minorCase(v: vitals(t: 40.6))).label == .immediate)
    #expect(TriageRules.assess(minorCase(v: vitals(t: 38.2))).label == .delayed)
    #expect(TriageRules.assess(minorCase(age: 80, v: vitals(t: 38.2))).label == .medium)
    #expect(TriageRules.assess(minorCase(pain: 8)).label == .medium)
    let rationale = TriageRules.assess(minorCase(v: vitals(spo2: 88, t: 40.7))).rationale
    #expect(rationale.hasPrefix("immediate: "))
    #expect(rationale.contains("SpO2 88%") && rationale.contains("temperature 40.7"))
}

@Test func theGeneratorIsDeterministicAndSeedSensitive() {
    let a = CorpusGenerator(spec: CorpusSpec(count: 300, seed: 1)).generate()
    let b = CorpusGenerator(spec: CorpusSpec(count: 300, seed: 1)).generate()
    let c = CorpusGenerator(spec: CorpusSpec(count: 300, seed: 2)).generate()
    #expect(a.rows == b.rows && a.personalData == b.personalData && a.noise == b.noise)
    #expect(a.rows != c.rows)
    let filesA = CorpusFormats.files(for: a, seed: 1).map(\.data)
    let filesB = CorpusFormats.files(for: b, seed: 1).map(\.data)
    #expect(filesA == filesB)
}

@Test func cleanRowsCarryTheLabelTheirStatedRulesGive() {
    let corpus = CorpusGenerator(spec: CorpusSpec(count: 2_000, seed: 4, noise: .none)).generate()
    for row in corpus.rows {
        #expect(row.rationale.hasPrefix(row.label.rawValue + ": "), "\(row.id)")
    }
    let labels = Dictionary(grouping: corpus.rows, by: \.label).mapValues(\.count)
    for label in TriageLabel.allCases { #expect(labels[label, default: 0] > 300, "\(label) is too rare") }
}

@Test func theLanguageMixFollowsTheSpecAndTheDetectorAgreesWithTheWriters() {
    let corpus = CorpusGenerator(spec: CorpusSpec(count: 2_000, seed: 8, frenchShare: 0.3, noise: .none)).generate()
    let french = corpus.rows.filter { $0.lang == .fr }.count
    #expect((500...700).contains(french))
    let detector = LanguageDetector()
    let agree = corpus.rows.filter { detector.detect($0.text).language == $0.lang }.count
    #expect(Double(agree) / Double(corpus.rows.count) > 0.99)
    // Separate phrase banks: French rows share no sentence opening with English rows.
    let openings = { (lang: RecordLanguage) in
        Set(corpus.rows.filter { $0.lang == lang }.map { $0.text.split(separator: " ").prefix(2).joined(separator: " ") })
    }
    #expect(openings(.en).isDisjoint(with: openings(.fr)))
}

@Test func everyInjectedValueAppearsVerbatimInItsRow() {
    let corpus = CorpusGenerator(spec: CorpusSpec(count: 3_000, seed: 11)).generate()
    let textByID = Dictionary(uniqueKeysWithValues: corpus.rows.map { ($0.id, $0.text) })
    #expect(corpus.personalData.count > 2_000)
    for item in corpus.personalData {
        let text = textByID[item.id] ?? ""
        #expect(text.contains(item.value), "\(item.id) \(item.type) '\(item.value)'")
    }
    let kinds = Set(corpus.personalData.map(\.type))
    #expect(kinds == Set(PersonalDataKind.allCases))
}

@Test func theNoiseKindsAreAllPresentAndRecorded() {
    let corpus = CorpusGenerator(spec: CorpusSpec(count: 4_000, seed: 12)).generate()
    let kinds = Set(corpus.noise.map(\.kind))
    for kind in ["exact_duplicate", "near_duplicate", "markup", "empty", "oversized", "mislabel", "upper_case",
                 "decomposed_whitespace", "wrong_language"] {
        #expect(kinds.contains(kind), "no \(kind) noise")
    }
    #expect(kinds.contains { $0.hasPrefix("malformed_") })
    let byID = Dictionary(uniqueKeysWithValues: corpus.rows.map { ($0.id, $0) })
    for n in corpus.noise where n.kind == "exact_duplicate" {
        #expect(byID[n.id]?.text == byID[n.of!]?.text)
    }
}

@Test func generatedNIRsCarryAValidKey() {
    var rng = CorpusRandom(seed: 3)
    for _ in 0..<200 {
        let nir = PersonalDataBank.nir(sex: .female, age: 40, &rng)
        #expect(PersonalDataDetector.validNIR(nir), "\(nir)")
    }
    #expect(!PersonalDataDetector.validNIR("2 86 05 75 112 045 00"))
}

@Test func theSourceFormatsRoundTripThroughTheirReaders() throws {
    let corpus = CorpusGenerator(spec: CorpusSpec(count: 400, seed: 6, noise: .none)).generate()
    let files = Dictionary(uniqueKeysWithValues: CorpusFormats.files(for: corpus, seed: 6).map { ($0.path, $0.data) })
    let csv = try CSVReader(text: String(decoding: files["cases.csv"]!, as: UTF8.self)).rows()
    let xmlItems = try files.filter { $0.key.hasPrefix("medquad/") }.sorted { $0.key < $1.key }
        .flatMap { try MedQuADReader(data: $0.value).items() }
    let jsonl = String(decoding: files["cases.jsonl"]!, as: UTF8.self).split(separator: "\n")
    #expect(jsonl.count + csv.count - 1 + xmlItems.count == 400)
    #expect(csv.dropFirst().allSatisfy { $0.fields.count == 5 })
    #expect(xmlItems.allSatisfy { $0.fields["Question"] != nil && $0.fields["Answer@urgency"] != nil })
    #expect(xmlItems.first?.fields["Document@source"] == "SyntheticTriage")
    #expect(xmlItems.first?.fields["Focus"] != nil)
}

@Test func frenchPressuresInCentimetresOfMercuryKeepTheValue() {
    #expect(NoteSurface.centimetres(84) == "8,4")
    #expect(NoteSurface.centimetres(120) == "12")
    #expect(NoteSurface.centimetres(50) == "5")
    #expect(NoteSurface.centimetres(205) == "20,5")
}

@Test func everyVitalSignStyleStatesTheAbnormalValues() {
    let v = Vitals(heartRate: 134, systolic: 84, diastolic: 50, respiratoryRate: 31, spo2: 88, temperature: 34.1)
    var rng = CorpusRandom(seed: 3)
    for _ in 0..<200 {
        let en = NoteSurface.vitals(v, .en, &rng)!
        #expect(en.contains("134") && en.contains("84") && en.contains("31") && en.contains("88"), "\(en)")
        #expect(en.contains("34.1") || en.contains("93.4"), "\(en)")  // °C or °F
        let fr = NoteSurface.vitals(v, .fr, &rng)!.lowercased()  // some notes are written all in lower case
        #expect(fr.contains("134") && (fr.contains("84/50") || fr.contains("8,4/5") || fr.contains("pas 84")), "\(fr)")
        #expect(fr.contains("31") && fr.contains("88") && fr.contains("34,1"), "\(fr)")
    }
    // Normal vital signs may be left out altogether, as on a busy triage desk.
    let normal = Vitals(heartRate: 80, systolic: 125, diastolic: 75, respiratoryRate: 16, spo2: 98, temperature: 36.8)
    let written = (0..<200).map { _ in NoteSurface.vitals(normal, .en, &rng) }
    #expect(written.contains { $0 == nil } && written.contains { $0 != nil })
}

@Test func abbreviationsReplaceWholeWordsOnly() {
    #expect(NoteSurface.replaceWord("with", with: "w/", in: "with pain, without fever") == "w/ pain, without fever")
    #expect(NoteSurface.replaceWord("patient", with: "pt", in: "outpatient patient") == "outpatient pt")
    #expect(NoteSurface.replaceWord("jours", with: "j", in: "depuis 3 jours.") == "depuis 3 j.")
}

@Test func typosLeaveNumbersAndAbbreviationsAlone() {
    var rng = CorpusRandom(seed: 5)
    let text = "Obs: HR 134, SpO2 88%, T 38.9. Breathing difficulties since yesterday afternoon."
    for _ in 0..<50 {
        let slipped = NoteSurface.typos(text, rate: 1, &rng)
        #expect(slipped.hasPrefix("Obs: HR 134, SpO2 88%, T 38.9. Breathing"), "\(slipped)")
    }
}

@Test func sexSpecificPresentationsGetTheRightSexAndAge() {
    let corpus = CorpusGenerator(spec: CorpusSpec(count: 3_000, seed: 6, noise: .none, surfaceVariety: true)).generate()
    let pregnancy = corpus.rows.filter { $0.rationale.contains("pregnancy") }
    #expect(!pregnancy.isEmpty)
    for row in pregnancy {
        #expect(!row.text.contains(" man ") && !row.text.contains("Homme") && !row.text.contains(" M c/o"), "\(row.text)")
    }
}

@Test func theGeneratorWritesShorthandThirdPartyAndUnitVariants() {
    let corpus = CorpusGenerator(spec: CorpusSpec(count: 3_000, seed: 9, noise: .none, surfaceVariety: true)).generate()
    let texts = corpus.rows.map(\.text)
    for marker in ["c/o", "PMH", "°F", "sats", "ATCD", "Sat ", "AA", "reports", "Appel de", "Pouls"] {
        #expect(texts.contains { $0.contains(marker) }, "no note with \(marker)")
    }
    // A French pressure in cmHg (`TA 8,4/5`): a comma decimal before the slash.
    #expect(texts.contains { $0.range(of: #"(TA|PA|tension) (à )?\d{1,2},\d/"#, options: .regularExpression) != nil })
}

@Test func theExtendedCatalogAddsPresentationsInTheDefaultWording() {
    let spec = CorpusSpec(count: 2_000, seed: 4, noise: .none, extendedCatalog: true)
    let extended = CorpusGenerator(spec: spec).generate()
    let addedNames = Set(ComplaintCatalog.added.map(\.name))
    let defaultNames = Set(ComplaintCatalog.all.map(\.name))
    #expect(extended.rows.contains { addedNames.contains($0.focus) }, "no case of an added complaint")
    #expect(extended.rows.allSatisfy { addedNames.contains($0.focus) || defaultNames.contains($0.focus) })
    // The default wording: no relative's report (NoteSurface's third register).
    #expect(!extended.rows.contains { $0.text.contains("Parent on the phone") || $0.text.contains(" reports he has ")
                                      || $0.text.contains(" reports she has ") })
    let plain = CorpusGenerator(spec: CorpusSpec(count: 2_000, seed: 4, noise: .none)).generate()
    #expect(!plain.rows.contains { addedNames.contains($0.focus) })
}
