import Foundation

/// Fake but realistic personal data in English- and French-speaking formats: names, phones, e-mails, dates of
/// birth, addresses, French NIR (with a valid key) and hospital record numbers. Phone numbers use reserved
/// fictional ranges (555-01xx, 07700 900xxx) where a country has one.
public enum PersonalDataBank {
    static let englishMale = ["James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas",
                              "Charles", "Daniel", "Matthew", "Anthony", "Mark", "Steven", "Paul", "Andrew", "Joshua",
                              "Kevin", "Brian", "Oliver", "Harry"]
    static let englishFemale = ["Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica",
                                "Sarah", "Karen", "Nancy", "Lisa", "Betty", "Margaret", "Emily", "Olivia", "Chloe",
                                "Grace", "Hannah", "Megan", "Amelia", "Isla"]
    static let englishLast = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
                              "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Thompson", "White", "Harris", "Clark",
                              "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill",
                              "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts", "Turner",
                              "Phillips", "Campbell", "Evans", "Edwards", "Collins", "Okafor", "Kowalski", "Nguyen",
                              "Fitzgerald", "Abernathy", "Lindqvist", "Haddad", "Castellanos"]
    static let frenchMale = ["Jean", "Pierre", "Michel", "Philippe", "Alain", "Nicolas", "Christophe", "Stéphane",
                             "Laurent", "Julien", "Thierry", "Olivier", "Sébastien", "François", "Mathieu", "Jérôme",
                             "Benoît", "Antoine", "Yannick", "Loïc"]
    static let frenchFemale = ["Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Valérie",
                               "Sandrine", "Céline", "Aurélie", "Émilie", "Camille", "Léa", "Chloé", "Hélène", "Manon",
                               "Inès", "Élodie", "Agnès", "Gaëlle"]
    static let frenchLast = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
                             "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand",
                             "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont",
                             "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau",
                             "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu",
                             "Clément", "Gauthier", "Le Goff", "Kerboriou", "Ben Salah", "Nguyen", "Da Silva"]
    static let englishStreets = ["Oak", "Maple", "Cedar", "Elm", "Pine", "Church", "Mill", "Station", "Victoria",
                                 "Park", "Highland", "Lake", "Willow", "Chestnut", "Riverside", "Kingsway"]
    static let englishStreetTypes = ["Street", "Road", "Avenue", "Lane", "Drive", "Close", "Court", "Way"]
    static let englishCities = ["Springfield", "Riverton", "Manchester", "Leeds", "Bristol", "Portland", "Fairview",
                                "Oxford", "Brighton", "Madison", "Georgetown", "Norwich"]
    static let frenchStreets = ["rue des Lilas", "rue Victor Hugo", "avenue de la République", "boulevard Voltaire",
                                "rue du Moulin", "chemin des Vignes", "allée des Tilleuls", "place de la Mairie",
                                "rue Pasteur", "impasse des Roses", "route de Lyon", "rue Jean Jaurès",
                                "quai de la Loire", "rue de la Paix", "avenue Foch"]
    static let frenchCities = [("75011", "Paris"), ("69003", "Lyon"), ("13008", "Marseille"), ("31000", "Toulouse"),
                               ("44000", "Nantes"), ("67000", "Strasbourg"), ("33000", "Bordeaux"), ("59000", "Lille"),
                               ("35000", "Rennes"), ("06000", "Nice"), ("21000", "Dijon"), ("29200", "Brest")]
    static let emailDomains = ["gmail.com", "outlook.com", "yahoo.co.uk", "orange.fr", "laposte.net", "free.fr",
                               "example.org", "proton.me"]
    static let englishMonths = ["January", "February", "March", "April", "May", "June", "July", "August",
                                "September", "October", "November", "December"]
    static let frenchMonths = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                               "octobre", "novembre", "décembre"]

    /// A first and last name for `lang`; the given name matches `sex` when one is given.
    static func name(_ lang: RecordLanguage, sex: ClinicalCase.Sex? = nil,
                     _ rng: inout SeededGenerator) -> (first: String, last: String) {
        let male = sex.map { $0 == .male } ?? rng.chance(0.5)
        switch lang {
        case .en: return (rng.pick(male ? englishMale : englishFemale), rng.pick(englishLast))
        case .fr: return (rng.pick(male ? frenchMale : frenchFemale), rng.pick(frenchLast))
        }
    }

    static func digits(_ n: Int, _ rng: inout SeededGenerator) -> String {
        String((0..<n).map { _ in Character(String(rng.int(in: 0...9))) })
    }

    /// A phone number in one of the usual formats of `lang`'s countries.
    static func phone(_ lang: RecordLanguage, _ rng: inout SeededGenerator) -> String {
        switch lang {
        case .en:
            let line = "01" + digits(2, &rng)
            let uk = "900" + digits(3, &rng)
            switch rng.int(in: 0...4) {
            case 0: return "(555) \(line.prefix(3))-\(digits(4, &rng))"
            case 1: return "555-\(line.prefix(3))-\(digits(4, &rng))"
            case 2: return "+1 555 \(line.prefix(3)) \(digits(4, &rng))"
            case 3: return "07700 \(uk)"
            default: return "+44 7700 \(uk)"
            }
        case .fr:
            let first = rng.pick(["6", "7", "1", "2", "4", "9"])
            let pairs = (0..<4).map { _ in digits(2, &rng) }
            switch rng.int(in: 0...4) {
            case 0: return "0\(first) " + pairs.joined(separator: " ")
            case 1: return "0\(first)." + pairs.joined(separator: ".")
            case 2: return "+33 \(first) " + pairs.joined(separator: " ")
            case 3: return "0\(first)" + pairs.joined()
            default: return "0\(first)-" + pairs.joined(separator: "-")
            }
        }
    }

    /// An e-mail address built from the name, accents folded.
    static func email(first: String, last: String, _ rng: inout SeededGenerator) -> String {
        func fold(_ s: String) -> String {
            String(s.lowercased().folding(options: .diacriticInsensitive, locale: nil).filter { $0.isLetter })
        }
        let f = fold(first), l = fold(last)
        let local: String
        switch rng.int(in: 0...3) {
        case 0: local = "\(f).\(l)"
        case 1: local = "\(f.prefix(1))\(l)\(rng.int(in: 10...99))"
        case 2: local = "\(l)_\(f)"
        default: local = "\(f)\(l)\(rng.int(in: 1950...2005))"
        }
        return "\(local)@\(rng.pick(emailDomains))"
    }

    /// A date of birth for someone `age` years old (reference year 2026) in a format usual for `lang`.
    static func birthDate(age: Int, _ lang: RecordLanguage, _ rng: inout SeededGenerator) -> String {
        let year = 2026 - age - (rng.chance(0.5) ? 1 : 0)
        let month = rng.int(in: 1...12), day = rng.int(in: 1...28)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        switch (lang, rng.int(in: 0...3)) {
        case (.en, 0): return "\(two(month))/\(two(day))/\(year)"
        case (.en, 1): return "\(day) \(englishMonths[month - 1]) \(year)"
        case (.en, 2): return "\(englishMonths[month - 1]) \(day), \(year)"
        case (.fr, 0): return "\(two(day))/\(two(month))/\(year)"
        case (.fr, 1): return "\(day) \(frenchMonths[month - 1]) \(year)"
        case (.fr, 2): return "\(two(day)).\(two(month)).\(year)"
        default: return "\(year)-\(two(month))-\(two(day))"
        }
    }

    /// A street address in the style of `lang`'s countries.
    static func address(_ lang: RecordLanguage, _ rng: inout SeededGenerator) -> String {
        switch lang {
        case .en:
            let street = "\(rng.int(in: 1...240)) \(rng.pick(englishStreets)) \(rng.pick(englishStreetTypes))"
            return rng.chance(0.5) ? street : "\(street), \(rng.pick(englishCities))"
        case .fr:
            let number = rng.int(in: 1...120)
            let bis = rng.chance(0.15) ? " bis" : ""
            let street = "\(number)\(bis) \(rng.pick(frenchStreets))"
            let (zip, city) = rng.pick(frenchCities)
            return rng.chance(0.6) ? "\(street), \(zip) \(city)" : street
        }
    }

    /// A French social security number (NIR) consistent with sex and birth year, with its control key
    /// (97 − the first 13 digits mod 97), spaced as printed on a carte Vitale or run together.
    static func nir(sex: ClinicalCase.Sex, age: Int, _ rng: inout SeededGenerator) -> String {
        let s = sex == .male ? "1" : "2"
        let yy = String(format2((2026 - age) % 100))
        let mm = format2(rng.int(in: 1...12))
        let dept = rng.pick(["75", "69", "13", "31", "44", "67", "33", "59", "35", "06", "21", "29"])
        let commune = format3(rng.int(in: 1...999)), order = format3(rng.int(in: 1...999))
        let body = s + yy + mm + dept + commune + order
        let key = 97 - Int(UInt64(body)! % 97)
        let k = format2(key)
        return rng.chance(0.7) ? "\(s) \(yy) \(mm) \(dept) \(commune) \(order) \(k)" : body + k
    }

    /// A hospital record number (MRN / IPP / dossier) without its keyword.
    static func recordNumber(_ lang: RecordLanguage, _ rng: inout SeededGenerator) -> String {
        switch rng.int(in: 0...3) {
        case 0: return digits(8, &rng)
        case 1: return "\(rng.pick(["H", "A", "MR", "PA"]))-\(rng.int(in: 2015...2026))-\(digits(6, &rng))"
        case 2: return lang == .fr ? digits(9, &rng) : "\(rng.pick(["AB", "KX", "RT"]))\(digits(6, &rng))"
        default: return "\(rng.int(in: 2018...2026))\(digits(6, &rng))"
        }
    }

    static func format2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    static func format3(_ v: Int) -> String { v < 10 ? "00\(v)" : v < 100 ? "0\(v)" : "\(v)" }
}
