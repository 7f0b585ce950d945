/// French phrasing: notes d'IOA (`TA`, `FC`, `EVA`, comma decimals), récits et messages de patients.
enum FrenchCaseWriter: CaseWriter {
    static func decimal(_ t: Double) -> String { TriageRules.format(t).replacingOccurrences(of: ".", with: ",") }

    static func intro(_ c: ClinicalCase, complaint: String, name: (first: String, last: String)?,
                      _ rng: inout SeededGenerator) -> (text: String, nameValue: String?) {
        let male = c.sex == .male
        let child = c.age < 16
        if let name {
            let title = child ? "" : (male ? "M. " : rng.pick(["Mme ", "Madame "]))
            let full = "\(name.first) \(name.last)"
            switch rng.int(in: 0...2) {
            case 0: return ("\(title)\(full), \(c.age) ans, consulte pour \(complaint).", full)
            case 1: return ("Je m'appelle \(full), j'ai \(c.age) ans et j'ai \(complaint).", full)
            default:
                let filed = "\(name.last.uppercased()) \(name.first)"
                return ("\(male ? "Patient" : "Patiente") : \(filed), \(c.age) ans. Motif : \(complaint).", filed)
            }
        }
        let noun = child ? (male ? "Garçon" : "Fille") : (male ? "Homme" : "Femme")
        switch rng.int(in: 0...5) {
        case 0: return ("\(noun) de \(c.age) ans consultant pour \(complaint).", nil)
        case 1: return ("\(male ? "Patient" : "Patiente") de \(c.age) ans \(male ? "adressé" : "adressée") aux urgences pour \(complaint).", nil)
        case 2: return ("\(c.age) ans, \(male ? "H" : "F"), motif de consultation : \(complaint).", nil)
        case 3 where !child: return ("J'ai \(c.age) ans et depuis peu j'ai \(complaint).", nil)
        case 4 where c.age >= 25:
            let relative = male ? rng.pick(["Mon père", "Mon mari", "Mon frère"]) : rng.pick(["Ma mère", "Ma femme", "Ma sœur"])
            return ("\(relative) (\(c.age) ans) présente \(complaint).", nil)
        default: return ("Se présente à l'accueil des urgences, \(c.age) ans, pour \(complaint).", nil)
        }
    }

    static func onset(hours: Double, _ rng: inout SeededGenerator) -> String {
        let span: String
        if hours < 1 { span = "\(max(5, Int(hours * 60 / 5) * 5)) minutes" }
        else if hours < 48 { span = "\(Int(hours)) heure\(Int(hours) == 1 ? "" : "s")" }
        else { span = "\(Int(hours / 24)) jours" }
        switch rng.int(in: 0...3) {
        case 0: return "Début il y a \(span)."
        case 1: return "Évolue depuis \(span)."
        case 2: return "Les symptômes ont commencé il y a \(span)."
        default: return "Installation depuis \(span) environ."
        }
    }

    static func vitals(_ v: Vitals, _ rng: inout SeededGenerator) -> String {
        let must = mustState(v)
        let t = decimal(v.temperature)
        var parts: [String] = []
        switch rng.int(in: 0...2) {
        case 0:
            if must.bp || rng.chance(0.9) { parts.append("TA \(v.systolic)/\(v.diastolic) mmHg") }
            if must.hr || rng.chance(0.9) { parts.append("FC \(v.heartRate)/min") }
            if must.rr || rng.chance(0.5) { parts.append("FR \(v.respiratoryRate)/min") }
            if must.spo2 || rng.chance(0.8) { parts.append("SpO2 \(v.spo2) % en air ambiant") }
            if must.temp || rng.chance(0.7) { parts.append("T° \(t) °C") }
            return "Constantes : " + parts.joined(separator: ", ") + "."
        case 1:
            if must.hr || rng.chance(0.9) { parts.append("pouls à \(v.heartRate)") }
            if must.bp || rng.chance(0.9) { parts.append("tension à \(v.systolic)/\(v.diastolic)") }
            if must.rr || rng.chance(0.5) { parts.append("fréquence respiratoire \(v.respiratoryRate)") }
            if must.spo2 || rng.chance(0.8) { parts.append("saturation \(v.spo2) %") }
            if must.temp || rng.chance(0.7) { parts.append("température \(t) °C") }
            return "À l'accueil : " + parts.joined(separator: ", ") + "."
        default:
            if must.spo2 || rng.chance(0.8) { parts.append("sat \(v.spo2) %") }
            if must.hr || rng.chance(0.9) { parts.append("FC \(v.heartRate)") }
            if must.bp || rng.chance(0.9) { parts.append("PA \(v.systolic)/\(v.diastolic)") }
            if must.rr || rng.chance(0.5) { parts.append("FR \(v.respiratoryRate)") }
            if must.temp || rng.chance(0.7) { parts.append("\(t) °C") }
            if parts.isEmpty { return "Constantes sans particularité." }
            return "Paramètres : " + parts.joined(separator: " ; ") + "."
        }
    }

    static func pain(_ score: Int, _ rng: inout SeededGenerator) -> String {
        rng.pick(["EVA \(score)/10.", "Douleur cotée à \(score)/10.", "EN à \(score).", "Il évalue sa douleur à \(score) sur 10."])
    }

    static func history(_ items: [Int], _ rng: inout SeededGenerator) -> String {
        if items.isEmpty { return rng.pick(["Pas d'antécédent notable.", "Sans antécédent particulier.", "ATCD : aucun."]) }
        let names = items.map { ComplaintCatalog.history[$0].fr }
        let list = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " et " + names.last!
        return rng.pick(["Antécédents : \(names.joined(separator: ", ")).", "ATCD : \(names.joined(separator: ", ")).",
                         "Dans ses antécédents, on note \(list).", "Suivi pour \(list)."])
    }

    static func personal(_ kind: PersonalDataKind, _ c: ClinicalCase,
                         _ rng: inout SeededGenerator) -> (String, [(PersonalDataKind, String)]) {
        switch kind {
        case .name:
            let n = PersonalDataBank.name(.fr, &rng)
            switch rng.int(in: 0...3) {
            case 0: return ("Nom : \(n.last.uppercased()) \(n.first).", [(.name, "\(n.last.uppercased()) \(n.first)")])
            case 1: return ("\(c.sex == .male ? "Adressé" : "Adressée") par le Dr \(n.last).", [(.name, n.last)])
            case 2:
                let phone = PersonalDataBank.phone(.fr, &rng)
                return ("Personne à prévenir : \(n.first) \(n.last) au \(phone).",
                        [(.name, "\(n.first) \(n.last)"), (.phone, phone)])
            default: return ("Vu ce matin par le docteur \(n.first) \(n.last), médecin traitant.", [(.name, "\(n.first) \(n.last)")])
            }
        case .phone:
            let phone = PersonalDataBank.phone(.fr, &rng)
            return (rng.pick(["Tél : \(phone).", "Joignable au \(phone).", "Portable : \(phone).",
                              "Rappeler au \(phone)."]), [(.phone, phone)])
        case .email:
            let n = PersonalDataBank.name(.fr, &rng)
            let email = PersonalDataBank.email(first: n.first, last: n.last, &rng)
            return (rng.pick(["Mail : \(email).", "Courriel \(email).", "Envoyer les résultats à \(email)."]),
                    [(.email, email)])
        case .date:
            let date = PersonalDataBank.birthDate(age: c.age, .fr, &rng)
            let born = c.sex == .male ? "Né" : "Née"
            return (rng.pick(["\(born) le \(date).", "DDN : \(date).", "Date de naissance : \(date)."]), [(.date, date)])
        case .address:
            let address = PersonalDataBank.address(.fr, &rng)
            return (rng.pick(["Domicile : \(address).", "Habite au \(address).", "Adresse : \(address)."]),
                    [(.address, address)])
        case .nir:
            let nir = PersonalDataBank.nir(sex: c.sex, age: c.age, &rng)
            return (rng.pick(["NIR \(nir).", "N° de sécurité sociale : \(nir).", "Numéro de sécu \(nir)."]),
                    [(.nir, nir)])
        case .recordID:
            let id = PersonalDataBank.recordNumber(.fr, &rng)
            return (rng.pick(["IPP \(id).", "N° de dossier \(id).", "Dossier n° \(id)."]), [(.recordID, id)])
        }
    }
}
