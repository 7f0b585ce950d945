import Foundation

/// Generates the deterministic bilingual triage corpus: realistic English and French patient descriptions whose
/// labels follow `TriageRules`, with injected personal data (recorded as ground truth) and the noise of real
/// exports (recorded too). Same spec → same corpus, byte for byte.
public struct CorpusGenerator: Sendable {
    /// What to generate.
    public let spec: CorpusSpec

    public init(spec: CorpusSpec) {
        self.spec = spec
    }

    /// Builds the corpus; `progress` is called every 1,000 rows with the number done.
    public func generate(progress: (Int) -> Void = { _ in }) -> GeneratedCorpus {
        var rng = CorpusRandom(seed: spec.seed)
        var rows: [GeneratedRow] = []
        var truth: [PersonalDataTruth] = []
        var noise: [NoiseTruth] = []
        var truthByID: [String: [PersonalDataTruth]] = [:]
        var originals: [Int] = []  // indices of rows that are fresh cases, for duplicating
        rows.reserveCapacity(spec.count)
        let rates = spec.noise
        for index in 0..<spec.count {
            if index % 1000 == 0 { progress(index) }
            let id = "syn-" + String(format: "%06d", index + 1)
            let roll = rng.unit()
            if !originals.isEmpty, roll < rates.exactDuplicate + rates.nearDuplicate {
                let source = rows[rng.pick(originals)]
                var copy = source
                copy.id = id
                copy.defect = nil
                let near = roll >= rates.exactDuplicate
                if near { copy.text = Self.perturb(copy.text, copy.lang, &rng) }
                rows.append(copy)
                noise.append(NoiseTruth(id: id, kind: near ? "near_duplicate" : "exact_duplicate", of: source.id))
                for item in truthByID[source.id] ?? [] {
                    // A near-duplicate edit may have lower-cased the first letter of a value that opened the text.
                    let lowered = item.value.prefix(1).lowercased() + item.value.dropFirst()
                    let value = copy.text.contains(item.value) || !copy.text.hasPrefix(lowered) ? item.value : lowered
                    truth.append(PersonalDataTruth(id: id, type: item.type, value: value))
                }
                continue
            }
            let lang: RecordLanguage = rng.chance(spec.frenchShare) ? .fr : .en
            let made = Self.makeCase(lang: lang, withPersonalData: rng.chance(rates.personalData),
                                     variety: spec.surfaceVariety, extendedCatalog: spec.extendedCatalog, &rng)
            var row = GeneratedRow(id: id, lang: lang, text: made.text, label: made.label, rationale: made.rationale,
                                   focus: made.focus, defect: nil)
            var items = made.personal.map { PersonalDataTruth(id: id, type: $0.0, value: $0.1) }
            applyNoise(&row, &items, &noise, &rng)
            truth += items
            truthByID[id] = items
            rows.append(row)
            if row.defect == nil { originals.append(rows.count - 1) }
        }
        progress(spec.count)
        return GeneratedCorpus(rows: rows, personalData: truth, noise: noise)
    }

    private func applyNoise(_ row: inout GeneratedRow, _ items: inout [PersonalDataTruth], _ noise: inout [NoiseTruth],
                            _ rng: inout CorpusRandom) {
        let rates = spec.noise
        func note(_ kind: String) { noise.append(NoiseTruth(id: row.id, kind: kind, of: nil)) }
        if rng.chance(rates.markup) { row.text = Self.addMarkup(row.text, &rng); note("markup") }
        if rng.chance(rates.casing) {
            if rng.chance(0.5) {
                row.text = row.text.uppercased()
                items = items.map { PersonalDataTruth(id: $0.id, type: $0.type, value: $0.value.uppercased()) }
                note("upper_case")
            } else {
                row.text = "  " + row.text.decomposedStringWithCanonicalMapping
                    .replacingOccurrences(of: ". ", with: ".\n\t ") + "  "
                items = items.map { PersonalDataTruth(id: $0.id, type: $0.type, value: $0.value.decomposedStringWithCanonicalMapping) }
                note("decomposed_whitespace")
            }
        }
        if rng.chance(rates.mislabel) {
            let others = TriageLabel.allCases.filter { $0 != row.label }
            row.label = rng.pick(others)
            note("mislabel")
        }
        if rng.chance(rates.wrongLanguage) { row.lang = row.lang == .en ? .fr : .en; note("wrong_language") }
        if rng.chance(rates.empty) {
            row.text = rng.pick(["", "   ", "\n"])
            items = []
            note("empty")
        } else if rng.chance(rates.oversized) {
            row.text = Array(repeating: row.text, count: 60).joined(separator: " ")
            note("oversized")
        }
        if rng.chance(rates.malformed) {
            row.defect = rng.pick([.brokenSyntax, .missingLabel, .unknownLabel, .missingID])
            note("malformed_\(row.defect!.rawValue)")
        }
    }

    struct MadeCase {
        var text: String
        var label: TriageLabel
        var rationale: String
        var focus: String
        var personal: [(PersonalDataKind, String)]
    }

    /// One fresh case in `lang`: facts, label by the rules, then the wording (with `variety`, `variedCase`); the
    /// cases come from `ComplaintCatalog.all`, or from `extended` with `extendedCatalog`.
    static func makeCase(lang: RecordLanguage, withPersonalData: Bool, variety: Bool = false,
                         extendedCatalog: Bool = false, _ rng: inout CorpusRandom) -> MadeCase {
        if variety { return variedCase(lang: lang, withPersonalData: withPersonalData, &rng) }
        let catalog = extendedCatalog ? ComplaintCatalog.extended : ComplaintCatalog.all
        let c = sampleCase(catalog, &rng)
        let (label, rationale) = TriageRules.assess(c)
        let writer: any CaseWriter.Type = lang == .en ? EnglishCaseWriter.self : FrenchCaseWriter.self
        let presentation = catalog[c.complaintIndex].presentations[c.presentationIndex]  // shorthand only if extended
        let complaint = rng.pick(lang == .en ? presentation.english : presentation.french)
        var personal: [(PersonalDataKind, String)] = []
        let nameInIntro = withPersonalData && rng.chance(0.35)
        let introName = nameInIntro ? PersonalDataBank.name(lang, sex: c.sex, &rng) : nil
        let intro = writer.intro(c, complaint: complaint, name: introName, &rng)
        if let value = intro.nameValue { personal.append((.name, value)) }
        var body: [String] = []
        if rng.chance(0.85) { body.append(writer.onset(hours: c.onsetHours, &rng)) }
        if rng.chance(0.7) { body.append(writer.history(c.history, &rng)) }
        body.append(writer.vitals(c.vitals, &rng))
        if let pain = c.pain { body.append(writer.pain(pain, &rng)) }
        personal += finishBody(&body, c, writer: writer, lang: lang, withPersonalData: withPersonalData, &rng)
        return MadeCase(text: ([intro.text] + body).joined(separator: " "), label: label, rationale: rationale,
                        focus: catalog[c.complaintIndex].name, personal: personal)
    }

    /// One fresh case over the extended catalog: facts, label by the rules, then the wording — in one of three
    /// registers (`NoteSurface.Register`: the writers' sentences, triage-desk shorthand, a relative's report), with the
    /// vital signs, abbreviations and typos of `NoteSurface` applied to the clinical sentences only, never to a
    /// sentence carrying personal data (whose values must stay verbatim).
    static func variedCase(lang: RecordLanguage, withPersonalData: Bool, _ rng: inout CorpusRandom) -> MadeCase {
        let c = sampleCase(ComplaintCatalog.extended, &rng)
        let (label, rationale) = TriageRules.assess(c)
        let writer: any CaseWriter.Type = lang == .en ? EnglishCaseWriter.self : FrenchCaseWriter.self
        let presentation = c.presentation
        var complaint = rng.pick(lang == .en ? presentation.english : presentation.french)
        var personal: [(PersonalDataKind, String)] = []
        let nameInIntro = withPersonalData && rng.chance(0.35)
        let introName = nameInIntro ? PersonalDataBank.name(lang, sex: c.sex, &rng) : nil
        let roll = rng.unit()
        let register: NoteSurface.Register = introName != nil || roll < 0.4 ? .classic : roll < 0.8 ? .terse : .reported
        let abbreviationRate = register == .terse ? 0.7 : rng.chance(0.3) ? 0.5 : 0
        let typoRate = rng.chance(0.15) ? 0.06 : 0
        func surface(_ text: String) -> String {
            let short = abbreviationRate > 0 ? NoteSurface.abbreviate(text, lang, rate: abbreviationRate, &rng) : text
            return typoRate > 0 ? NoteSurface.typos(short, rate: typoRate, &rng) : short
        }
        complaint = surface(complaint)
        let introText: String
        switch register {
        case .classic:
            let intro = writer.intro(c, complaint: complaint, name: introName, &rng)
            if let value = intro.nameValue { personal.append((.name, value)) }
            introText = intro.nameValue == nil ? surface(intro.text) : intro.text
        case .terse: introText = NoteSurface.terseIntro(c, complaint: complaint, lang, &rng)
        case .reported: introText = surface(NoteSurface.reportedIntro(c, complaint: complaint, lang, &rng))
        }
        var body: [String] = []
        if register == .terse {
            if rng.chance(0.7) { body.append(NoteSurface.terseOnset(hours: c.onsetHours, lang, &rng)) }
            if rng.chance(0.6) { body.append(surface(NoteSurface.terseHistory(c.history, lang, &rng))) }
            if let vitals = NoteSurface.vitals(c.vitals, lang, &rng) { body.append(vitals) }
            if let pain = c.pain { body.append(NoteSurface.tersePain(pain, lang, &rng)) }
        } else {
            if rng.chance(0.85) { body.append(surface(writer.onset(hours: c.onsetHours, &rng))) }
            if rng.chance(0.7) { body.append(surface(writer.history(c.history, &rng))) }
            if rng.chance(0.5) { body.append(surface(writer.vitals(c.vitals, &rng))) }
            else if let vitals = NoteSurface.vitals(c.vitals, lang, &rng) { body.append(vitals) }
            if let pain = c.pain { body.append(surface(rng.chance(0.3) ? NoteSurface.tersePain(pain, lang, &rng) : writer.pain(pain, &rng))) }
        }
        if rng.chance(0.2), let negative = NoteSurface.negative(c, lang, &rng) {
            body.insert(negative, at: rng.int(in: 0...body.count))
        }
        personal += finishBody(&body, c, writer: writer, lang: lang, withPersonalData: withPersonalData, &rng)
        return MadeCase(text: ([introText] + body).joined(separator: " "), label: label, rationale: rationale,
                        focus: ComplaintCatalog.extended[c.complaintIndex].name, personal: personal)
    }

    /// The last touches both wordings share: now and then the first body sentence swaps with a later one, and (with
    /// personal data) one to three personal-data sentences go in at random places; returns the values written.
    static func finishBody(_ body: inout [String], _ c: ClinicalCase, writer: any CaseWriter.Type, lang: RecordLanguage,
                           withPersonalData: Bool, _ rng: inout CorpusRandom) -> [(PersonalDataKind, String)] {
        if body.count > 2, rng.chance(0.3) { body.swapAt(0, rng.int(in: 1...(body.count - 1))) }
        guard withPersonalData else { return [] }
        var personal: [(PersonalDataKind, String)] = []
        for kind in personalKinds(lang, &rng) {
            let (sentence, values) = writer.personal(kind, c, &rng)
            personal += values
            body.insert(sentence, at: rng.chance(0.6) ? body.count : rng.int(in: 0...body.count))
        }
        return personal
    }

    /// One to three kinds of personal data, NIR mostly in French records.
    static func personalKinds(_ lang: RecordLanguage, _ rng: inout CorpusRandom) -> [PersonalDataKind] {
        let weighted: [(PersonalDataKind, Double)] = [
            (.name, 0.22), (.phone, 0.2), (.date, 0.2), (.email, 0.1), (.address, 0.1), (.recordID, 0.13),
            (.nir, lang == .fr ? 0.15 : 0.01),
        ]
        let total = weighted.map(\.1).reduce(0, +)
        var kinds: [PersonalDataKind] = []
        for _ in 0..<rng.int(in: 1...3) {
            var x = rng.unit() * total
            for (kind, w) in weighted {
                x -= w
                if x < 0 { if !kinds.contains(kind) { kinds.append(kind) }; break }
            }
        }
        return kinds.isEmpty ? [.phone] : kinds
    }

    /// The facts of a case: complaint, presentation, age, sex, vitals (normal, mildly or severely abnormal).
    static func sampleCase(_ catalog: [Complaint], _ rng: inout CorpusRandom) -> ClinicalCase {
        let complaintIndex = rng.int(in: 0...(catalog.count - 1))
        let complaint = catalog[complaintIndex]
        // Favour less urgent presentations, as real front doors see more minor complaints.
        let weights = complaint.presentations.map { $0.tier == .immediate ? 0.25 : $0.tier == .medium ? 0.35 : 0.4 }
        var x = rng.unit() * weights.reduce(0, +)
        var presentationIndex = 0
        for (i, w) in weights.enumerated() {
            x -= w
            if x < 0 { presentationIndex = i; break }
        }
        let presentation = complaint.presentations[presentationIndex]
        var age = rng.chance(0.1) ? rng.int(in: 2...15) : rng.chance(0.2) ? rng.int(in: 75...96) : rng.int(in: 16...74)
        var vitals = Vitals(heartRate: rng.int(in: 58...98), systolic: rng.int(in: 105...160), diastolic: rng.int(in: 60...95),
                            respiratoryRate: rng.int(in: 12...20), spo2: rng.int(in: 95...100),
                            temperature: rng.decimal(in: 36.1...37.6))
        let profile = rng.unit()
        if profile < 0.2 {
            switch rng.int(in: 0...4) {
            case 0: vitals.spo2 = rng.int(in: 90...93)
            case 1: vitals.systolic = rng.int(in: 90...99); vitals.diastolic = rng.int(in: 50...65)
            case 2: vitals.heartRate = rng.int(in: 110...128)
            case 3: vitals.respiratoryRate = rng.int(in: 22...28)
            default: vitals.temperature = rng.decimal(in: 38.0...40.2)
            }
        } else if profile < 0.28 {
            switch rng.int(in: 0...4) {
            case 0: vitals.spo2 = rng.int(in: 78...89)
            case 1: vitals.systolic = rng.int(in: 65...88); vitals.diastolic = rng.int(in: 35...55)
            case 2: vitals.heartRate = rng.chance(0.8) ? rng.int(in: 131...175) : rng.int(in: 30...39)
            case 3: vitals.respiratoryRate = rng.int(in: 31...40)
            default: vitals.temperature = rng.chance(0.7) ? rng.decimal(in: 40.5...41.5) : rng.decimal(in: 33.0...34.8)
            }
        }
        let pain: Int? = rng.chance(0.55) ? (presentation.tier == .delayed ? rng.int(in: 1...7) : rng.int(in: 3...10)) : nil
        var history: [Int] = []
        if rng.chance(0.65) {
            for _ in 0..<rng.int(in: 1...2) {
                let h = rng.int(in: 0...(ComplaintCatalog.history.count - 1))
                if !history.contains(h) { history.append(h) }
            }
        }
        let onset = rng.decimal(in: presentation.onset)
        var sex: ClinicalCase.Sex = rng.chance(0.5) ? .male : .female
        if let only = ComplaintCatalog.demographics[presentation.cue] {
            sex = only.sex
            age = rng.int(in: only.ages)
        }
        return ClinicalCase(age: age, sex: sex, complaintIndex: complaintIndex,
                            presentationIndex: presentationIndex, onsetHours: max(0.1, onset), vitals: vitals,
                            pain: pain, history: history)
    }

    /// A near-duplicate: one or two light edits that leave the clinical facts and personal data untouched.
    static func perturb(_ text: String, _ lang: RecordLanguage, _ rng: inout CorpusRandom) -> String {
        var out = text
        let edits = rng.int(in: 1...2)
        for _ in 0..<edits {
            switch rng.int(in: 0...3) {
            case 0: out += lang == .en ? rng.pick([" Thanks.", " Please advise.", " Worried."]) : rng.pick([" Merci.", " Inquiet.", " Merci d'avance."])
            case 1: out = out.prefix(1).lowercased() + out.dropFirst()
            case 2: if out.hasSuffix(".") { out.removeLast() } else { out += "." }
            default: out = out.replacingOccurrences(of: ". ", with: "; ", options: [], range: nil)
            }
        }
        return out
    }

    /// Wraps sentences in HTML or Markdown and adds entities, as text pasted from a web form would have.
    static func addMarkup(_ text: String, _ rng: inout CorpusRandom) -> String {
        let sentences = text.components(separatedBy: ". ")
        switch rng.int(in: 0...3) {
        case 0: return "<p>" + sentences.joined(separator: ".</p><p>") + "</p>"
        case 1: return "<div class=\"note\">" + sentences.joined(separator: ".<br/>") + "</div>"
        case 2: return "**Triage note**\n\n" + sentences.joined(separator: ".\n- ")
        default: return sentences.joined(separator: ".&nbsp; ").replacingOccurrences(of: " & ", with: " &amp; ")
        }
    }
}
