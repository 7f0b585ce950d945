import Foundation
import Testing
@testable import Triage

private let anonymizer = Anonymizer()

private func replaced(_ text: String) -> String { anonymizer.anonymize(text).text }

@Test func eachKindOfPersonalDataGetsItsPlaceholder() {
    #expect(replaced("Mr. John Smith, 67, presents with chest pain.") == "Mr. [NAME], 67, presents with chest pain.")
    #expect(replaced("Call back on (555) 014-2231 or +44 7700 900123.") == "Call back on [PHONE] or [PHONE].")
    #expect(replaced("Joignable au 06 12 34 56 78 ou au +33 6 12 34 56 78.") == "Joignable au [PHONE] ou au [PHONE].")
    #expect(replaced("Email j.doe@example.org please.") == "Email [EMAIL] please.")
    #expect(replaced("DOB 03/14/1958; née le 14 mars 1958; born March 14, 1958.")
        == "DOB [DATE]; née le [DATE]; born [DATE].")
    #expect(replaced("Lives at 42 Oak Lane, Springfield. Domicile : 12 bis rue des Lilas, 69003 Lyon.")
        == "Lives at [ADDRESS]. Domicile : [ADDRESS].")
    #expect(replaced("NIR 2 86 05 75 112 045 04.") == "NIR [NIR].")
    #expect(replaced("MRN 48213907. IPP 804512367. Dossier n° H-2023-004512.")
        == "MRN [RECORD_ID]. IPP [RECORD_ID]. Dossier n° [RECORD_ID].")
    #expect(replaced("Patiente : DUPONT Marie, 34 ans. Adressé par le Dr Le Goff.")
        == "Patiente : [NAME], 34 ans. Adressé par le Dr [NAME].")
}

@Test func clinicalWordsVitalsAndTimesAreNeverReplaced() {
    let clinical = [
        "Known Crohn's disease and Parkinson's disease; history of Hodgkin lymphoma and Graves' disease.",
        "ATCD : une maladie de Crohn, une maladie d'Alzheimer, une trisomie 21, un syndrome de Raynaud.",
        "Obs: HR 112, BP 95/60, RR 24, SpO2 91% on room air, T 38.9°C. Pain 7/10. Onset 14 hours ago.",
        "TA 145/90 mmHg, FC 112/min, SpO2 92 % en air ambiant, T° 38,9 °C. EVA 8/10. Début à 14h30.",
        "Down syndrome, reviewed 3 days ago. Glasgow 15. Walk-in, 57, M. Chief complaint: cough.",
        "Takes apixaban 5 mg twice daily and 1000 mg paracetamol every 6 hours; 2 puffs of Ventoline.",
    ]
    for text in clinical { #expect(anonymizer.anonymize(text).spans.isEmpty, "\(text) → \(replaced(text))") }
}

@Test func anonymizationIsDeterministic() {
    let text = "Mme Nathalie Lambert, née le 8 octobre 1983, tél 06.58.79.07.55, IPP 123456789."
    #expect(anonymizer.anonymize(text) == Anonymizer().anonymize(text))
    #expect(replaced(text) == "Mme [NAME], née le [DATE], tél [PHONE], IPP [RECORD_ID].")
}

/// Hand-written notes in phrasings the generator never uses, each with its true values: an out-of-template check
/// of the recognisers (the synthetic corpus is in-template by construction).
private let heldOut: [(String, [(PersonalDataKind, String)])] = [
    ("Seen with her son Thomas Okonkwo who can be reached at 555.013.9921.",
     [(.name, "Thomas Okonkwo"), (.phone, "555.013.9921")]),
    ("Pt Mrs. Agnes Whitfield-Brown (DOB 1951-07-02) c/o SOB.", [(.name, "Agnes Whitfield-Brown"), (.date, "1951-07-02")]),
    ("Fils joignable au 07-81-22-45-19, adresse 3 allée des Acacias, 44300 Nantes.",
     [(.phone, "07-81-22-45-19"), (.address, "3 allée des Acacias, 44300 Nantes")]),
    ("Prière d'écrire à m.lefort@wanadoo.fr pour le compte rendu.", [(.email, "m.lefort@wanadoo.fr")]),
    ("Numéro de sécurité sociale : 185057511204558, carte vitale oubliée.", [(.nir, "185057511204558")]),
    ("HOSPITAL NUMBER: KX904411. Brought in by ambulance.", [(.recordID, "KX904411")]),
    ("Accompagnée de sa fille, Mme Chantal Roussel, infirmière.", [(.name, "Chantal Roussel")]),
    ("Patient states his name is Gregory Palmer and he lives at 9 Kingsway Court.",
     [(.name, "Gregory Palmer"), (.address, "9 Kingsway Court")]),
    ("Date of birth 2nd February 1990. Allergic to penicillin.", [(.date, "2nd February 1990")]),
    ("Vu par le Docteur Benoît Marchal le 12/01/2024 pour une plaie.", [(.name, "Benoît Marchal"), (.date, "12/01/2024")]),
    ("Contact: olivia.nguyen+er@proton.me / +1 (555) 010-4477", [(.email, "olivia.nguyen+er@proton.me"), (.phone, "+1 (555) 010-4477")]),
    ("Sans antécédent. Domicilié 27 avenue Jean Médecin, 06000 Nice.", [(.address, "27 avenue Jean Médecin, 06000 Nice")]),
    // Second batch, written after the recognisers were frozen and never used to tune them.
    ("Husband Mark Ellison at bedside, mobile 07700 900817.", [(.name, "Mark Ellison"), (.phone, "07700 900817")]),
    ("GP: Dr. Priya Raman, Riverside Surgery. Allergies: none known.", [(.name, "Priya Raman")]),
    ("Adressée par son médecin traitant, le Dr Fabienne Carvalho, pour bilan.", [(.name, "Fabienne Carvalho")]),
    ("Born on 30 Nov 1962, retired teacher, lives alone.", [(.date, "30 Nov 1962")]),
    ("Tél. domicile 04 78 55 21 09, tél. portable 06 33 18 72 40.", [(.phone, "04 78 55 21 09"), (.phone, "06 33 18 72 40")]),
    ("Send discharge letter to rob.tanaka@outlook.com and copy the GP.", [(.email, "rob.tanaka@outlook.com")]),
    ("MRN: 00923417 — transferred from another hospital this morning.", [(.recordID, "00923417")]),
    ("Résidant au 5 place du Marché, 21000 Dijon, vit avec sa fille.", [(.address, "5 place du Marché, 21000 Dijon")]),
    ("The patient, Ms Lucy O'Brien, 29, reports a rash after amoxicillin.", [(.name, "Lucy O'Brien")]),
    ("N° INSEE 2 94 12 13 055 118 31, assurée sociale.", [(.nir, "2 94 12 13 055 118 31")]),
    ("Her daughter Emma can be called on 555-019-4410 after 6 pm.", [(.name, "Emma"), (.phone, "555-019-4410")]),
    ("Mother reports fever since Monday; child's name is Noah Fischer.", [(.name, "Noah Fischer")]),
    ("Chute dans l'escalier au 14 rue Émile Zola; voisin M. Karim Haddad a appelé le 15.",
     [(.address, "14 rue Émile Zola"), (.name, "Karim Haddad")]),
    ("Seen at 14:30 by triage nurse; BP 182/104 with headache, on amlodipine 10 mg.", []),
    ("Douleur thoracique depuis 2 h, ECG sans sus-décalage, troponine à contrôler à H3.", []),
    ("Known to Addison's disease clinic; Guillain-Barré in 2019, fully recovered.", []),
]

@Test func heldOutNotesOutsideTheGeneratorsTemplatesAreMostlyCaught() {
    var score = AnonymizationScore()
    let clinical = AnonymizationScore.clinicalVocabulary()
    for (i, (text, values)) in heldOut.enumerated() {
        let id = "h\(i)"
        score.add(id: id, text: text, spans: anonymizer.anonymize(text).spans,
                  truth: values.map { PersonalDataTruth(id: id, type: $0.0, value: $0.1) }, clinicalWords: clinical)
    }
    // Documented in docs/corpus.md: out of template the recognisers are weaker than on the synthetic corpus.
    // Measured: 33 of 35 values (two bare names without a title or cue), no false positive.
    #expect(score.recall >= 0.9, "missed: \(score.missedExamples)")
    #expect(score.precision >= 0.95, "false positives: \(score.falsePositiveExamples)")
    #expect(score.clinicalWordsReplaced == 0)
}

@Test func theScoreCountsPartialCoverageAsAMissAndStrayReplacementsAsFalsePositives() {
    var score = AnonymizationScore()
    let text = "Patient name: Marie Dubois. Pain 8/10."
    let ns = text as NSString
    let onlySurname = PersonalDataSpan(range: ns.range(of: "Dubois"), kind: .name)
    let stray = PersonalDataSpan(range: ns.range(of: "Pain"), kind: .name)
    score.add(id: "1", text: text, spans: [onlySurname, stray],
              truth: [PersonalDataTruth(id: "1", type: .name, value: "Marie  Dubois")], clinicalWords: ["pain"])
    #expect(score.located == 1)
    #expect(score.recalled == 0)
    #expect(score.precision == 0.5)
    #expect(score.clinicalWordsReplaced == 1)
}

@Test func aTrueValueIsOnlyLookedUpAsAWholeWord() {
    var score = AnonymizationScore()
    let text = "Une petite coupure. Adressée par le Dr Petit."
    let spans = Anonymizer().anonymize(text).spans
    score.add(id: "1", text: text, spans: spans, truth: [PersonalDataTruth(id: "1", type: .name, value: "Petit")],
              clinicalWords: [])
    #expect(score.located == 1 && score.recalled == 1 && score.precision == 1)
}
