import Foundation

/// Finds personal data in English and French triage text: e-mails, French NIR (key-checked unless labelled),
/// labelled record numbers, phone numbers (French, North American, British), full dates, street addresses and
/// names (after a title or a cue such as "My name is" / "Nom :", or a known given name followed by a surname).
///
/// Recognisers run in priority order and a later match overlapping an earlier one is dropped, so an address's
/// street name is never also a NAME and a phone inside an e-mail is never a PHONE. Deterministic; O(n) regex
/// passes per text.
/// `@unchecked Sendable`: it holds only `NSRegularExpression`s, which are immutable and documented thread-safe.
public struct PersonalDataDetector: @unchecked Sendable {
    private let patterns: [(PersonalDataKind, NSRegularExpression, Int)]
    private let nir: NSRegularExpression
    private let nirLabelled: NSRegularExpression
    private let nameCue: NSRegularExpression
    private let word: NSRegularExpression

    public init() {
        func rx(_ pattern: String, _ options: NSRegularExpression.Options = []) -> NSRegularExpression {
            // Patterns are compile-time constants; failing to compile one is a programming error.
            try! NSRegularExpression(pattern: pattern, options: options)
        }
        let enMonths = "January|February|March|April|May|June|July|August|September|October|November|December"
            + "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
        let frMonths = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
        let year = "(?:19|20)\\d{2}"
        let enStreet = "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Close|Court|Way|Boulevard|Blvd|Place|Terrace|Crescent"
        let frStreet = "rue|avenue|av\\.|boulevard|bd|chemin|allée|allee|place|impasse|route|quai|cours|square|voie|passage"
        patterns = [
            (.email, rx("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"), 0),
            (.recordID, rx("(?i)(?:\\bMRN|\\bIPP|\\bNHS\\s+no\\.?|\\bhospital\\s+(?:number|no\\.?)|\\brecord\\s*(?:#|no\\.?|number)|"
                + "\\bdossier\\s*(?:n°|no|num(?:éro)?)?|\\bn°\\s*de\\s*dossier|\\bpatient\\s+id)\\s*[:#;]?\\s*"
                + "((?:[A-Z]{1,3}-?)?\\d[\\d-]{3,}\\d|[A-Z]{1,3}\\d{5,})\\b"), 1),
            (.phone, rx("(?<![\\w+])(?:(?:\\+33\\s?|0033\\s?|\\b0)[1-9](?:[\\s.-]?\\d{2}){4}"
                + "|(?:\\+1[\\s.-]?)?(?:\\(\\d{3}\\)\\s?|\\b\\d{3}[\\s.-])\\d{3}[\\s.-]\\d{4}"
                + "|(?:\\+44\\s?|\\b0)7\\d{3}[\\s]?\\d{6})(?!\\w)"), 0),
            (.date, rx("(?i)\\b(?:\\d{1,2}[/.-]\\d{1,2}[/.-]\(year)|\(year)-\\d{2}-\\d{2}"
                + "|\\d{1,2}(?:st|nd|rd|th|er)?\\s+(?:\(enMonths)|\(frMonths))\\.?\\s+\(year)"
                + "|(?:\(enMonths))\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\(year))\\b"), 0),
            (.address, rx("\\b\\d{1,4}(?:\\s?(?i:bis|ter))?,?\\s+(?i:\(frStreet))\\s+[^,.;:\\n()]{2,40}?"
                + "(?:,\\s*\\d{5}\\s+[\\p{L}][\\p{L}'-]*(?:[ -][\\p{L}][\\p{L}'-]*)?)?(?=\\s*[.,;:\\n()]|\\s*$)"), 0),
            (.address, rx("\\b\\d{1,5}\\s+(?:[\\p{Lu}][\\p{L}'-]*\\s+){1,3}(?i:\(enStreet))\\b\\.?"
                + "(?:,\\s*[\\p{Lu}][\\p{L}'-]+(?:\\s[\\p{Lu}][\\p{L}'-]+)?(?:,?\\s+[A-Z]{2}\\s+\\d{5})?)?"), 0),
        ]
        nir = rx("(?<!\\d)[12]\\s?\\d{2}\\s?(?:0[1-9]|1[0-2]|[2-9]\\d)\\s?(?:\\d{2}|2[AB])\\s?\\d{3}\\s?\\d{3}\\s?\\d{2}(?!\\d)")
        nirLabelled = rx("(?i)(?:\\bNIR|s[ée]curit[ée]\\s+sociale|\\bs[ée]cu|social\\s+security\\s+number|\\bINSEE)\\s*[:°n]*\\s*$")
        nameCue = rx("(?i)(?:patient\\s+name\\s*:|my\\s+name\\s+is|je\\s+m['’]appelle|\\bnom\\s*:|\\bpatiente?\\s*:|"
            + "next\\s+of\\s+kin\\s*:|personne\\s+à\\s+prévenir\\s*:|\\bnamed|\\bcalled|\\bsigned)\\s*")
        word = rx("[\\p{L}][\\p{L}'’-]*")
    }

    /// Every personal-data span in `text`, sorted and non-overlapping.
    public func detect(_ text: String) -> [PersonalDataSpan] {
        let ns = text as NSString
        let whole = NSRange(location: 0, length: ns.length)
        var accepted: [PersonalDataSpan] = []
        func accept(_ range: NSRange, _ kind: PersonalDataKind) {
            guard range.length > 0, !accepted.contains(where: { $0.overlaps(range) }) else { return }
            accepted.append(PersonalDataSpan(range: range, kind: kind))
        }
        // E-mails first: they contain digits and names.
        let (emailKind, emailRx, _) = patterns[0]
        for m in emailRx.matches(in: text, range: whole) { accept(m.range, emailKind) }
        // NIR: labelled, or with a valid control key.
        for m in nir.matches(in: text, range: whole) {
            let before = NSRange(location: max(0, m.range.location - 40), length: min(40, m.range.location))
            let labelled = nirLabelled.firstMatch(in: text, range: before) != nil
            if labelled || Self.validNIR(ns.substring(with: m.range)) { accept(m.range, .nir) }
        }
        for (kind, regex, group) in patterns.dropFirst() {
            for m in regex.matches(in: text, range: whole) { accept(m.range(at: group), kind) }
        }
        for range in names(in: text, ns: ns, whole: whole) { accept(range, .name) }
        return accepted.sorted()
    }

    /// Whether a NIR's last two digits are 97 − (the first 13 mod 97) (Corsica's 2A/2B count as 19/18).
    static func validNIR(_ candidate: String) -> Bool {
        var digits = candidate.filter { !$0.isWhitespace }.uppercased()
        guard digits.count == 15 else { return false }
        digits = digits.replacingOccurrences(of: "2A", with: "19").replacingOccurrences(of: "2B", with: "18")
        guard let body = UInt64(digits.prefix(13)), let key = UInt64(digits.suffix(2)) else { return false }
        return 97 - body % 97 == key
    }

    /// Name spans: after a title (`Mr`, `Dr.`, `Mme`…), after a cue (`My name is`, `Nom :`…), or a known given
    /// name followed by a surname. A name is 1–3 capitalised words (surname particles allowed inside), never a
    /// common capitalised word or a clinical eponym.
    func names(in text: String, ns: NSString, whole: NSRange) -> [NSRange] {
        let tokens = word.matches(in: text, range: whole).map(\.range)
        guard !tokens.isEmpty else { return [] }
        func string(_ i: Int) -> String { ns.substring(with: tokens[i]) }
        func gapIsSpace(_ i: Int) -> Bool {  // between token i and i+1
            let start = tokens[i].location + tokens[i].length
            let gap = ns.substring(with: NSRange(location: start, length: tokens[i + 1].location - start))
            return gap == " "
        }
        func isNameWord(_ i: Int) -> Bool {
            let w = string(i)
            guard let first = w.unicodeScalars.first, first.properties.isUppercase, w.count >= 2 else { return false }
            let upper = w.uppercased()
            return !NameLexicon.notNames.contains(upper) && !NameLexicon.clinicalEponyms.contains(upper)
        }
        /// The longest name starting at token `i`: up to 3 name words joined by single spaces.
        func extend(from i: Int) -> NSRange? {
            var end = i
            var count = 0
            var j = i
            while j < tokens.count, count < 3 {
                let isParticle = NameLexicon.particles.contains(string(j).uppercased())
                    && j + 1 < tokens.count && gapIsSpace(j) && isNameWord(j + 1)
                guard isParticle || isNameWord(j) else { break }
                if !isParticle { count += 1 }
                end = j
                guard j + 1 < tokens.count, gapIsSpace(j) else { break }
                j += 1
            }
            guard count > 0 else { return nil }
            return NSRange(location: tokens[i].location, length: tokens[end].location + tokens[end].length - tokens[i].location)
        }
        let titles: Set<String> = ["MR", "MRS", "MS", "MISS", "DR", "PROF", "MME", "MLLE", "MADAME", "MONSIEUR",
                                   "DOCTEUR", "PR", "M"]
        var found: [NSRange] = []
        for i in 0..<(tokens.count - 1) {
            let upper = string(i).uppercased()
            guard titles.contains(upper) else { continue }
            let after = tokens[i].location + tokens[i].length
            let next = tokens[i + 1].location
            let gap = ns.substring(with: NSRange(location: after, length: next - after))
            // `M` is a title only as `M.` (French Monsieur); the others with or without the period.
            guard gap == ". " || (gap == " " && upper != "M") else { continue }
            if upper == "M", !string(i).hasPrefix("M") { continue }
            if let name = extend(from: i + 1) { found.append(name) }
        }
        for m in nameCue.matches(in: text, range: whole) {
            let end = m.range.location + m.range.length
            if let i = tokens.firstIndex(where: { $0.location == end }), let name = extend(from: i) { found.append(name) }
        }
        // A known given name followed by a surname; the given name may have lost its capital ("barbara Walker").
        for i in 0..<(tokens.count - 1) where NameLexicon.givenNames.contains(string(i).uppercased()) {
            guard gapIsSpace(i), isNameWord(i + 1) || NameLexicon.particles.contains(string(i + 1).uppercased()),
                  let rest = extend(from: i + 1) else { continue }
            found.append(NSRange(location: tokens[i].location, length: rest.location + rest.length - tokens[i].location))
        }
        return found
    }
}
