/// The surface a note is written in, independent of its facts (issue 16): triage-desk shorthand, reports by a
/// third party, vital signs in many labels, orders, units and separators, abbreviations, pertinent negatives and a
/// few typos. The facts and the label never change here — every value the rules read is still stated, in a form a
/// clinician reads as the same value (°F for °C, French `TA 8,4/5` in cmHg for 84/50 mmHg).
///
/// Why: the first writers had three vital-sign sentences per language and one or two phrasings per presentation,
/// so a model learnt `SpO2 86% on room air` and not "a saturation under 90 %"; on notes written by people
/// (`docs/corpus.md` §7) it fell to about 50 %.
enum NoteSurface {
    /// How a note is written: the writers' full sentences, triage-desk shorthand, or a relative's report.
    enum Register { case classic, terse, reported }

    // MARK: Vital signs

    /// Vital signs in a randomly chosen style: labels, order, units, separators and casing vary; abnormal values
    /// (`CaseWriter.mustState`) are always stated; nil when the note states none (only when none must be).
    static func vitals(_ v: Vitals, _ lang: RecordLanguage, _ rng: inout CorpusRandom) -> String? {
        let must = EnglishCaseWriter.mustState(v)
        let thorough = rng.pick([0.25, 0.6, 0.9])
        var items: [String] = []
        let en = lang == .en
        if must.hr || rng.chance(thorough) { items.append(en ? heartRateEN(v.heartRate, &rng) : heartRateFR(v.heartRate, &rng)) }
        if must.bp || rng.chance(thorough) {
            items.append(en ? bloodPressureEN(v, &rng) : bloodPressureFR(v, &rng))
        }
        if must.rr || rng.chance(thorough * 0.6) {
            items.append(en ? respiratoryRateEN(v.respiratoryRate, &rng) : respiratoryRateFR(v.respiratoryRate, &rng))
        }
        if must.spo2 || rng.chance(thorough) { items.append(en ? saturationEN(v.spo2, &rng) : saturationFR(v.spo2, &rng)) }
        if must.temp || rng.chance(thorough * 0.8) {
            items.append(en ? temperatureEN(v.temperature, &rng) : temperatureFR(v.temperature, &rng))
        }
        if items.isEmpty {
            if rng.chance(0.5) { return nil }
            return en ? rng.pick(["Obs normal.", "Vitals stable.", "Obs within normal limits.", "Obs fine."])
                : rng.pick(["Constantes normales.", "Constantes stables.", "Paramètres vitaux sans particularité."])
        }
        if rng.chance(0.6) { rng.shuffle(&items) }
        let separator = rng.pick([", ", " ", "; ", ", ", " / "])
        let prefix = en ? rng.pick(["Obs: ", "Obs ", "Vitals: ", "Vital signs ", "", "", "On arrival ", "Triage obs: "])
            : rng.pick(["Constantes : ", "Cstes : ", "Paramètres : ", "", "", "À l'arrivée : ", "Constantes IOA : "])
        var text = prefix + items.joined(separator: separator)
        if rng.chance(0.12) { text = text.lowercased() }
        return text + "."
    }

    static func heartRateEN(_ hr: Int, _ rng: inout CorpusRandom) -> String {
        rng.pick(["HR \(hr)", "HR \(hr) bpm", "pulse \(hr)", "Pulse \(hr)", "heart rate \(hr)", "HR \(hr)/min",
                  "HR: \(hr)", "pulse rate \(hr)", "P \(hr) bpm"])
    }

    static func heartRateFR(_ hr: Int, _ rng: inout CorpusRandom) -> String {
        rng.pick(["FC \(hr)", "FC \(hr)/min", "FC à \(hr)", "pouls \(hr)", "Pouls \(hr)", "pouls à \(hr)/min",
                  "FC \(hr) bpm", "fréquence cardiaque \(hr)"])
    }

    static func bloodPressureEN(_ v: Vitals, _ rng: inout CorpusRandom) -> String {
        let bp = "\(v.systolic)/\(v.diastolic)"
        return rng.pick(["BP \(bp)", "BP \(bp) mmHg", "BP: \(bp)", "blood pressure \(bp)", "B/P \(bp)", "NIBP \(bp)",
                         "BP \(v.systolic) systolic"])
    }

    /// French pressures in mmHg or, a third of the time, in cmHg as French notes write them (`TA 8,4/5`).
    static func bloodPressureFR(_ v: Vitals, _ rng: inout CorpusRandom) -> String {
        if rng.chance(0.33) {
            let bp = "\(centimetres(v.systolic))/\(centimetres(v.diastolic))"
            return rng.pick(["TA \(bp)", "TA à \(bp)", "PA \(bp)", "tension \(bp)"])
        }
        let bp = "\(v.systolic)/\(v.diastolic)"
        return rng.pick(["TA \(bp)", "TA \(bp) mmHg", "PA \(bp)", "PA \(bp) mmHg", "tension \(bp)", "TA à \(bp)",
                         "PAS \(v.systolic)"])
    }

    /// A pressure in cmHg with a comma decimal when it is not whole: 84 → `8,4`, 120 → `12`.
    static func centimetres(_ mmHg: Int) -> String {
        mmHg % 10 == 0 ? "\(mmHg / 10)" : "\(mmHg / 10),\(mmHg % 10)"
    }

    static func respiratoryRateEN(_ rr: Int, _ rng: inout CorpusRandom) -> String {
        rng.pick(["RR \(rr)", "RR \(rr)/min", "resp \(rr)", "resp rate \(rr)", "RR: \(rr)", "breathing \(rr)/min"])
    }

    static func respiratoryRateFR(_ rr: Int, _ rng: inout CorpusRandom) -> String {
        rng.pick(["FR \(rr)", "FR \(rr)/min", "FR à \(rr)", "fréq. resp. \(rr)", "FR \(rr) cycles/min"])
    }

    static func saturationEN(_ spo2: Int, _ rng: inout CorpusRandom) -> String {
        rng.pick(["SpO2 \(spo2)%", "sats \(spo2)%", "sats \(spo2)% RA", "Sats \(spo2)% on air", "O2 sats \(spo2)%",
                  "SaO2 \(spo2)%", "sats \(spo2)", "SpO2 \(spo2)% RA", "O2 sat \(spo2)% on room air", "sat \(spo2)%"])
    }

    static func saturationFR(_ spo2: Int, _ rng: inout CorpusRandom) -> String {
        rng.pick(["SpO2 \(spo2) %", "SpO2 \(spo2)%", "Sat \(spo2) % en AA", "sat \(spo2)% AA", "saturation \(spo2) %",
                  "SpO2 \(spo2) % AA", "sat \(spo2) % à l'air", "SaO2 \(spo2)%", "sat à \(spo2) %"])
    }

    /// English temperatures in °C, or a quarter of the time in °F (one decimal).
    static func temperatureEN(_ t: Double, _ rng: inout CorpusRandom) -> String {
        if rng.chance(0.25) {
            let f = EnglishCaseWriter.fahrenheit(t)
            return rng.pick(["T \(f)°F", "temp \(f)F", "Temp \(f) F", "T \(f) F"])
        }
        let c = TriageRules.format(t)
        return rng.pick(["T \(c)", "T \(c)°C", "temp \(c)", "Temp \(c)C", "T \(c) C", "temperature \(c)°", "tymp \(c)"])
    }

    static func temperatureFR(_ t: Double, _ rng: inout CorpusRandom) -> String {
        let c = FrenchCaseWriter.decimal(t)
        return rng.pick(["T° \(c)", "T \(c) °C", "temp \(c)", "T° \(c)°C", "\(c) °C", "température \(c)", "T \(c)°"])
    }

    // MARK: Shorthand sentences

    /// A triage-desk opening: age, sex and complaint in a few tokens (`67M c/o …`, `F 45 ans, …`).
    static func terseIntro(_ c: ClinicalCase, complaint: String, _ lang: RecordLanguage, _ rng: inout CorpusRandom) -> String {
        let a = c.age
        let male = c.sex == .male
        if lang == .en {
            let s = male ? "M" : "F"
            let noun = c.age < 16 ? (male ? "boy" : "girl") : (male ? "male" : "female")
            return rng.pick(["\(a)\(s) c/o \(complaint).", "\(a) yo \(s), \(complaint).", "\(a)\(s) - \(complaint).",
                             "\(a)/\(s) \(complaint).", "Pt \(a) y/o \(s) with \(complaint).", "\(a)yo \(s), PC: \(complaint).",
                             "\(a) year old \(noun), \(complaint).", "\(a)\(s.lowercased()) presenting w/ \(complaint)."])
        }
        let s = male ? "H" : "F"
        return rng.pick(["\(s) \(a) ans, \(complaint).", "\(a) ans, \(s), \(complaint).", "\(male ? "Pt" : "Pte") de \(a) ans : \(complaint).",
                         "Motif : \(complaint). \(a) ans, \(s).", "\(male ? "Patient" : "Patiente") \(a) ans, \(complaint).",
                         "\(a) ans \(s) - \(complaint)."])
    }

    /// An opening told by a relative or carer ("Wife reports he has …", "Appel de sa fille : …").
    static func reportedIntro(_ c: ClinicalCase, complaint: String, _ lang: RecordLanguage, _ rng: inout CorpusRandom) -> String {
        let a = c.age
        let male = c.sex == .male
        if lang == .en {
            let he = male ? "he" : "she", his = male ? "his" : "her"
            if a < 16 {
                let kid = male ? "son" : "daughter"
                return rng.pick(["Mum says her \(kid) (\(a)) has \(complaint).", "Dad reports his \(a)-year-old \(kid) has \(complaint).",
                                 "Parent on the phone: \(a)yo \(kid) with \(complaint)."])
            }
            let relative = rng.pick(male ? ["wife", "daughter", "son", "brother", "partner"] : ["husband", "daughter", "son", "sister", "partner"])
            var options = ["\(relative.prefix(1).uppercased() + relative.dropFirst()) reports \(he) has \(complaint), age \(a).",
                           "Brought in by \(his) \(relative), who says \(he) has \(complaint). \(a) years old.",
                           "According to \(his) \(relative), \(a)\(male ? "M" : "F") with \(complaint).",
                           "Phone call from the \(relative): \(a)-year-old with \(complaint)."]
            if a >= 65 { options.append("Care home staff report \(a)yo \(male ? "M" : "F") with \(complaint).") }
            return rng.pick(options)
        }
        if a < 16 {
            let kid = male ? "son fils" : "sa fille"
            return rng.pick(["Maman appelle : \(kid) de \(a) ans présente \(complaint).", "Le père rapporte que \(kid) de \(a) ans a \(complaint).",
                             "Appel des parents pour \(kid), \(a) ans : \(complaint)."])
        }
        let relative = rng.pick(male ? ["son épouse", "sa fille", "son fils", "sa compagne"] : ["son mari", "sa fille", "son fils", "sa sœur"])
        var options = ["Appel de \(relative) : \(male ? "patient" : "patiente") de \(a) ans qui présente \(complaint).",
                       "\(male ? "Amené" : "Amenée") par \(relative) pour \(complaint). \(a) ans.",
                       "Selon \(relative), \(a) ans, \(complaint).",
                       "D'après \(relative), \(male ? "il" : "elle") a \(complaint) ; \(a) ans."]
        if a >= 65 { options.append("L'EHPAD signale : \(male ? "résident" : "résidente") de \(a) ans, \(complaint).") }
        return rng.pick(options)
    }

    /// A short onset (`x2/7`, `since 3h`, `depuis 2 j`).
    static func terseOnset(hours: Double, _ lang: RecordLanguage, _ rng: inout CorpusRandom) -> String {
        let minutes = max(5, Int(hours * 60 / 5) * 5), h = Int(hours), d = Int(hours / 24)
        if lang == .en {
            if hours < 1 { return rng.pick(["Onset \(minutes) min ago.", "Since \(minutes) mins.", "\(minutes) min hx."]) }
            if hours < 48 { return rng.pick(["Since \(h)h.", "Onset \(h) hrs ago.", "\(h)h hx.", "For \(h) hours."]) }
            return rng.pick(["x\(d)/7.", "\(d)/7 hx.", "For \(d) days.", "Since \(d) days."])
        }
        if hours < 1 { return rng.pick(["Depuis \(minutes) min.", "Début il y a \(minutes) min."]) }
        if hours < 48 { return rng.pick(["Depuis \(h) h.", "Début \(h)h.", "Depuis \(h) heures."]) }
        return rng.pick(["Depuis \(d) j.", "Depuis \(d) jours.", "Évolue depuis \(d) j."])
    }

    /// Past history as a triage list (`PMH: HTN, T2DM`, `ATCD : HTA, DT2`).
    static func terseHistory(_ items: [Int], _ lang: RecordLanguage, _ rng: inout CorpusRandom) -> String {
        if lang == .en {
            if items.isEmpty { return rng.pick(["PMH nil.", "No PMH.", "NKDA, no PMH.", "Hx: nil of note."]) }
            let names = items.map { ComplaintCatalog.history[$0].en.replacingOccurrences(of: "an ", with: "") }
            return rng.pick(["PMH: ", "PMHx ", "Hx: ", "Bg: "]) + names.joined(separator: ", ") + "."
        }
        if items.isEmpty { return rng.pick(["Pas d'ATCD.", "ATCD : RAS.", "Aucun antécédent."]) }
        let names = items.map { item -> String in
            let name = ComplaintCatalog.history[item].fr
            for article in ["une ", "un ", "des "] where name.hasPrefix(article) { return String(name.dropFirst(article.count)) }
            return name
        }
        return rng.pick(["ATCD : ", "ATCD ", "Atcd : ", "Antécédents : "]) + names.joined(separator: ", ") + "."
    }

    /// A pain score in shorthand (`7/10 pain`, `NRS 7`, `EVA 7`).
    static func tersePain(_ score: Int, _ lang: RecordLanguage, _ rng: inout CorpusRandom) -> String {
        lang == .en ? rng.pick(["Pain \(score)/10.", "\(score)/10 pain.", "Pain score \(score).", "NRS \(score)/10.", "Pain \(score)."])
            : rng.pick(["EVA \(score).", "EVA \(score)/10.", "EN \(score)/10.", "Douleur \(score)/10.", "EN \(score)."])
    }

    /// A pertinent negative that does not contradict the case (`No fever.` only when no fever is stated), or nil.
    static func negative(_ c: ClinicalCase, _ lang: RecordLanguage, _ rng: inout CorpusRandom) -> String? {
        let complaint = ComplaintCatalog.extended[c.complaintIndex].name
        var options: [(String, String)] = []
        if c.vitals.temperature < 37.8, complaint != "fever" { options.append(("No fever.", rng.pick(["Pas de fièvre.", "Apyrétique."]))) }
        if !["chest pain", "circulation"].contains(complaint) { options.append(("Denies chest pain.", "Pas de DRS.")) }
        if !["breathing", "allergy", "circulation", "poisoning", "diabetes", "burns and heat"].contains(complaint) {
            options.append((rng.pick(["No SOB.", "Not short of breath."]), "Pas de dyspnée."))
        }
        if !["head injury", "seizure", "poisoning", "diabetes", "circulation", "stroke signs", "burns and heat"].contains(complaint) {
            options.append(("No LOC.", "Pas de PC."))
        }
        guard !options.isEmpty else { return nil }
        let chosen = rng.pick(options)
        return lang == .en ? chosen.0 : chosen.1
    }

    // MARK: Abbreviations and typos

    /// Clinical abbreviations, longest first so `high blood pressure` becomes `HTN` before `blood pressure` `BP`.
    static let abbreviationsEN: [(String, String)] = [
        ("high blood pressure", "HTN"), ("type 2 diabetes", "T2DM"), ("atrial fibrillation", "AF"),
        ("chronic kidney disease", "CKD"), ("heart failure", "CCF"), ("underactive thyroid", "hypothyroidism"),
        ("shortness of breath", "SOB"), ("short of breath", "SOB"), ("breathlessness", "SOB"),
        ("loss of consciousness", "LOC"), ("nausea and vomiting", "N+V"), ("history of", "hx of"),
        ("blood pressure", "BP"), ("respiratory rate", "RR"), ("heart rate", "HR"), ("temperature", "temp"),
        ("chest pain", "CP"), ("abdominal", "abdo"), ("left arm", "L arm"), ("right arm", "R arm"),
        ("left leg", "L leg"), ("right leg", "R leg"), ("years old", "yo"), ("year-old", "yo"),
        ("without", "w/o"), ("with", "w/"), ("patient", "pt"), ("hours", "hrs"), ("minutes", "mins"),
        ("fracture", "#"), ("headache", "HA"), ("days", "d"), ("oxygen saturation", "sats"),
    ]

    static let abbreviationsFR: [(String, String)] = [
        ("hypertension artérielle", "HTA"), ("diabète de type 2", "DT2"), ("insuffisance cardiaque", "IC"),
        ("insuffisance rénale chronique", "IRC"), ("syndrome dépressif", "sd dépressif"), ("antécédents", "ATCD"),
        ("douleur thoracique", "DT"), ("perte de connaissance", "PC"), ("traumatisme crânien", "TC"),
        ("fosse iliaque droite", "FID"), ("air ambiant", "AA"), ("fréquence respiratoire", "FR"),
        ("fréquence cardiaque", "FC"), ("température", "T°"), ("bras gauche", "bras G"), ("bras droit", "bras D"),
        ("patiente", "pte"), ("patient", "pt"), ("jours", "j"), ("heures", "h"), ("minutes", "min"),
        ("mal de tête", "céphalées"), ("saturation", "sat"),
    ]

    /// Replaces whole words or phrases by their abbreviation, each with probability `rate`.
    static func abbreviate(_ text: String, _ lang: RecordLanguage, rate: Double, _ rng: inout CorpusRandom) -> String {
        var out = text
        for (long, short) in lang == .en ? abbreviationsEN : abbreviationsFR where rng.chance(rate) {
            out = replaceWord(long, with: short, in: out)
        }
        return out
    }

    /// Replaces `word` where it stands as whole words (letters on neither side), case-sensitively.
    static func replaceWord(_ word: String, with replacement: String, in text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let range = rest.range(of: word) {
            let before = range.lowerBound == rest.startIndex ? (out.last ?? " ") : rest[rest.index(before: range.lowerBound)]
            let after = range.upperBound == rest.endIndex ? " " : rest[range.upperBound]
            out += rest[..<range.lowerBound]
            out += before.isLetter || after.isLetter ? word : replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }

    /// A few typing slips in words of five or more lower-case letters (a letter dropped, doubled or swapped with
    /// its neighbour, an accent lost); numbers, abbreviations and capitalised words are never touched.
    static func typos(_ text: String, rate: Double, _ rng: inout CorpusRandom) -> String {
        var words = text.components(separatedBy: " ")
        for i in words.indices {
            var letters = Array(words[i])
            var tail: [Character] = []
            while let last = letters.last, ",.;:".contains(last) { tail.insert(letters.removeLast(), at: 0) }
            guard letters.count >= 5, letters.allSatisfy({ $0.isLetter && $0.isLowercase }), rng.chance(rate) else { continue }
            var w = letters
            let k = rng.int(in: 1...(w.count - 2))
            switch rng.int(in: 0...3) {
            case 0: w.remove(at: k)
            case 1: w.insert(w[k], at: k)
            case 2: w.swapAt(k, k + 1)
            default:
                let plain: [Character: Character] = ["é": "e", "è": "e", "ê": "e", "à": "a", "ç": "c", "ô": "o", "î": "i", "û": "u"]
                if let j = w.firstIndex(where: { plain[$0] != nil }) { w[j] = plain[w[j]]! } else { w.remove(at: k) }
            }
            words[i] = String(w + tail)
        }
        return words.joined(separator: " ")
    }
}
