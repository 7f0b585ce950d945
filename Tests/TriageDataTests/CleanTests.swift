import Foundation
import Testing
@testable import TriageData

@Test func theTextCleanerStripsMarkupDecodesEntitiesComposesAndCollapsesWhitespace() {
    let cleaner = TextCleaner()
    let (text, markup) = cleaner.clean("<p>Douleur&nbsp;thoracique.</p><p>Fie\u{0300}vre &amp; toux&#8230;</p>\n\t<br/>**Grave**")
    #expect(markup)
    #expect(text == "Douleur thoracique. Fièvre & toux… Grave")
    #expect(text.unicodeScalars.contains("\u{00E8}"))
    #expect(cleaner.clean("BP 120/80 <- low? x < 3 and y > 2").text == "BP 120/80 <- low? x < 3 and y > 2")
    #expect(cleaner.clean("  plain   text \n").hadMarkup == false)
    #expect(cleaner.clean("  plain   text \n").text == "plain text")
}

@Test func minHashFindsNearDuplicatesAndNotMerelySimilarNotes() {
    let hasher = MinHasher(seed: 1)
    var index = NearDuplicateIndex()
    let base = "A 67-year-old man presents with crushing chest pain radiating to the left arm with sweating. Onset 2 hours ago. Obs: HR 112, BP 95/60, SpO2 91% on room air."
    let near = base.replacingOccurrences(of: ". Onset", with: "; onset") + " Thanks."
    let other = "A 67-year-old woman presents with a sore throat with painful swallowing. Onset 3 days ago. Obs: HR 80, BP 125/70, SpO2 98% on room air."
    let s0 = hasher.shingles(base)
    index.insert(signature: hasher.signature(ofShingles: s0), shingles: s0)
    let s1 = hasher.shingles(near), s2 = hasher.shingles(other)
    #expect(index.match(signature: hasher.signature(ofShingles: s1), shingles: s1)?.index == 0)
    #expect(index.match(signature: hasher.signature(ofShingles: s2), shingles: s2) == nil)
    #expect(MinHasher.jaccard(s0, s1) > 0.8 && MinHasher.jaccard(s0, s2) < 0.6)
    #expect(MinHasher(seed: 1).signature(ofShingles: s0) == hasher.signature(ofShingles: s0))
}

@Test func theLanguageDetectorTellsEnglishFromFrenchAndAbstainsOnThinEvidence() {
    let d = LanguageDetector()
    #expect(d.detect("She has had a cough and a fever for three days with chest pain.").language == .en)
    #expect(d.detect("Elle tousse depuis trois jours avec de la fièvre et une douleur thoracique.").language == .fr)
    #expect(d.detect("TA 120/80, FC 80, SpO2 98 %").language == nil)
    #expect(d.detect("").language == nil)
}

private func record(_ id: String, _ text: String, lang: RecordLanguage = .en, label: TriageLabel = .medium,
                    rationale: String? = nil) -> TriageRecord {
    TriageRecord(id: id, source: "t", lang: lang, text: text, label: label, rationale: rationale)
}

@Test func theRecordCleanerDropsEachProblemWithItsReason() {
    let body = "The patient has had abdominal pain with vomiting for two days and a temperature of 38.6 C, pulse 104."
    let records = [
        record("keep", body),
        record("empty", " <p> </p> "),
        record("short", "Pain."),
        record("long", String(repeating: "The patient has pain. ", count: 300)),
        record("wronglang", "Douleur abdominale avec des vomissements depuis deux jours et de la fièvre.", lang: .en),
        record("conflict", "The patient has had a sore throat and a dry cough for a week, no fever at all.",
               label: .immediate, rationale: "delayed: minor ENT complaint"),
        record("exact", body.uppercased()),
        record("near", body.replacingOccurrences(of: ", pulse", with: "; pulse") + " Thanks."),
        record("markup", "<div>The woman has a <b>deformed</b> wrist after a fall on her outstretched hand.</div>"),
    ]
    let result = RecordCleaner.run(records, settings: RecordCleaner.Settings())
    #expect(result.kept.map(\.id) == ["keep", "markup"])
    #expect(result.kept[1].text == "The woman has a deformed wrist after a fall on her outstretched hand.")
    let reasons = Dictionary(uniqueKeysWithValues: result.dropped.map { ($0.id, $0.reason) })
    #expect(reasons == ["empty": .empty, "short": .tooShort, "long": .tooLong, "wronglang": .languageMismatch,
                        "conflict": .labelConflict, "exact": .exactDuplicate, "near": .nearDuplicate])
    #expect(result.dropped.first { $0.id == "near" }?.of == "keep")
    #expect(result.markupStripped == 2)
}
