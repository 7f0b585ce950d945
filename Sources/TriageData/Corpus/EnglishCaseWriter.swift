/// English phrasing: ED triage shorthand, narrative notes and patient-written messages.
enum EnglishCaseWriter: CaseWriter {
    static func person(_ c: ClinicalCase) -> (noun: String, short: String, pronoun: String) {
        switch (c.sex, c.age) {
        case (.male, ..<16): return ("boy", "M", "he")
        case (.female, ..<16): return ("girl", "F", "she")
        case (.male, _): return ("man", "M", "he")
        case (.female, _): return ("woman", "F", "she")
        }
    }

    static func intro(_ c: ClinicalCase, complaint: String, name: (first: String, last: String)?,
                      _ rng: inout CorpusRandom) -> (text: String, nameValue: String?) {
        let who = person(c)
        let article = String(c.age).hasPrefix("8") || c.age == 11 || c.age == 18 ? "An" : "A"
        if let name {
            let title = c.age < 16 ? "" : (c.sex == .male ? rng.pick(["Mr ", "Mr. "]) : rng.pick(["Mrs ", "Ms ", "Ms. "]))
            let full = "\(name.first) \(name.last)"
            switch rng.int(in: 0...2) {
            case 0: return ("\(title)\(full), \(c.age), presents with \(complaint).", full)
            case 1: return ("My name is \(full), I am \(c.age) and I have \(complaint).", full)
            default: return ("\(full) is \(article.lowercased()) \(c.age)-year-old \(who.noun) seen for \(complaint).", full)
            }
        }
        switch rng.int(in: 0...6) {
        case 0: return ("\(article) \(c.age)-year-old \(who.noun) presents with \(complaint).", nil)
        case 1: return ("\(c.age) y/o \(who.short) c/o \(complaint).", nil)
        case 2: return ("\(c.age)yo \(who.noun == "man" || who.noun == "boy" ? "male" : "female") here with \(complaint).", nil)
        case 3: return ("Patient is a \(c.age)-year-old \(who.noun) complaining of \(complaint).", nil)
        case 4 where c.age >= 18: return ("I'm a \(c.age) year old \(who.noun) and I have \(complaint).", nil)
        case 5 where c.age >= 25:
            let relative = c.sex == .male ? rng.pick(["father", "husband", "brother"]) : rng.pick(["mother", "wife", "sister"])
            return ("My \(relative) (\(c.age)) has \(complaint).", nil)
        default: return ("Walk-in, \(c.age), \(who.short). Chief complaint: \(complaint).", nil)
        }
    }

    static func onset(hours: Double, _ rng: inout CorpusRandom) -> String {
        let span: String
        if hours < 1 { span = "\(max(5, Int(hours * 60 / 5) * 5)) minutes" }
        else if hours < 48 { span = "\(Int(hours)) hour\(Int(hours) == 1 ? "" : "s")" }
        else { span = "\(Int(hours / 24)) days" }
        switch rng.int(in: 0...4) {
        case 0: return "Started \(span) ago."
        case 1: return "Symptoms began \(span) ago."
        case 2: return "Onset \(span) ago."
        case 3: return "This has been going on for \(span)."
        default: return "It came on \(span) ago."
        }
    }

    static func fahrenheit(_ c: Double) -> String {
        let f = (c * 9 / 5 + 32) * 10
        let t = Int(f.rounded())
        return "\(t / 10).\(t % 10)"
    }

    static func vitals(_ v: Vitals, _ rng: inout CorpusRandom) -> String {
        let must = mustState(v)
        let t = TriageRules.format(v.temperature)
        var parts: [String] = []
        switch rng.int(in: 0...2) {
        case 0:
            if must.hr || rng.chance(0.9) { parts.append("HR \(v.heartRate)") }
            if must.bp || rng.chance(0.9) { parts.append("BP \(v.systolic)/\(v.diastolic)") }
            if must.rr || rng.chance(0.5) { parts.append("RR \(v.respiratoryRate)") }
            if must.spo2 || rng.chance(0.8) { parts.append("SpO2 \(v.spo2)% on room air") }
            if must.temp || rng.chance(0.7) { parts.append("T \(t)°C") }
            return "Obs: " + parts.joined(separator: ", ") + "."
        case 1:
            if must.hr || rng.chance(0.9) { parts.append("pulse \(v.heartRate) bpm") }
            if must.bp || rng.chance(0.9) { parts.append("blood pressure \(v.systolic)/\(v.diastolic) mmHg") }
            if must.rr || rng.chance(0.5) { parts.append("respiratory rate \(v.respiratoryRate)/min") }
            if must.spo2 || rng.chance(0.8) { parts.append("sats \(v.spo2)%") }
            if must.temp || rng.chance(0.7) {
                parts.append(rng.chance(0.3) ? "temperature \(fahrenheit(v.temperature)) F" : "temperature \(t) C")
            }
            return "Vitals: " + parts.joined(separator: ", ") + "."
        default:
            if must.hr || rng.chance(0.9) { parts.append("heart rate is \(v.heartRate)") }
            if must.bp || rng.chance(0.9) { parts.append("BP \(v.systolic) over \(v.diastolic)") }
            if must.rr || rng.chance(0.5) { parts.append("breathing \(v.respiratoryRate) times a minute") }
            if must.spo2 || rng.chance(0.8) { parts.append("oxygen saturation \(v.spo2)%") }
            if must.temp || rng.chance(0.7) { parts.append("temp \(t)") }
            if parts.isEmpty { return "Observations unremarkable." }
            return "At triage " + parts.joined(separator: ", ") + "."
        }
    }

    static func pain(_ score: Int, _ rng: inout CorpusRandom) -> String {
        rng.pick(["Pain \(score)/10.", "Rates the pain \(score) out of 10.", "Pain score \(score)/10.",
                  "The pain is about a \(score) out of 10."])
    }

    static func history(_ items: [Int], _ rng: inout CorpusRandom) -> String {
        if items.isEmpty { return rng.pick(["No significant past history.", "Otherwise fit and well.", "PMH: nil."]) }
        let names = items.map { ComplaintCatalog.history[$0].en }
        let list = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and " + names.last!
        return rng.pick(["History of \(list).", "PMH: \(names.joined(separator: ", ")).", "Known \(list).",
                         "Background of \(list)."])
    }

    static func personal(_ kind: PersonalDataKind, _ c: ClinicalCase,
                         _ rng: inout CorpusRandom) -> (String, [(PersonalDataKind, String)]) {
        switch kind {
        case .name:
            let n = PersonalDataBank.name(.en, &rng)
            switch rng.int(in: 0...3) {
            case 0: return ("Patient name: \(n.first) \(n.last).", [(.name, "\(n.first) \(n.last)")])
            case 1: return ("Referred by Dr \(n.last).", [(.name, n.last)])
            case 2:
                let phone = PersonalDataBank.phone(.en, &rng)
                return ("Next of kin: \(n.first) \(n.last), tel \(phone).", [(.name, "\(n.first) \(n.last)"), (.phone, phone)])
            default: return ("Seen earlier today by Dr. \(n.first) \(n.last) at the practice.", [(.name, "\(n.first) \(n.last)")])
            }
        case .phone:
            let phone = PersonalDataBank.phone(.en, &rng)
            return (rng.pick(["Call back on \(phone).", "Phone: \(phone).", "Mobile \(phone).",
                              "Best contact number is \(phone)."]), [(.phone, phone)])
        case .email:
            let n = PersonalDataBank.name(.en, &rng)
            let email = PersonalDataBank.email(first: n.first, last: n.last, &rng)
            return (rng.pick(["Email \(email).", "Results can be sent to \(email).", "Contact: \(email)"]),
                    [(.email, email)])
        case .date:
            let date = PersonalDataBank.birthDate(age: c.age, .en, &rng)
            return (rng.pick(["DOB \(date).", "Born \(date).", "Date of birth: \(date)."]), [(.date, date)])
        case .address:
            let address = PersonalDataBank.address(.en, &rng)
            return (rng.pick(["Lives at \(address).", "Address: \(address).", "Home address \(address)."]),
                    [(.address, address)])
        case .nir:
            let nir = PersonalDataBank.nir(sex: c.sex, age: c.age, &rng)
            return ("French social security number \(nir).", [(.nir, nir)])
        case .recordID:
            let id = PersonalDataBank.recordNumber(.en, &rng)
            return (rng.pick(["MRN \(id).", "Hospital number \(id).", "Record #\(id).", "NHS no. \(id)."]),
                    [(.recordID, id)])
        }
    }
}
