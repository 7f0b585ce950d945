import Foundation

/// Writes a generated corpus as the source files real exports come in, so normalize is exercised on each:
/// JSON Lines (`case_id, lang, narrative, urgency, rationale`), CSV (`record, language, description,
/// triage_level` with P1/P2/P3 levels) and a MedQuAD-style directory of XML documents (`Document` › `QAPairs` ›
/// `QAPair` › `Question`/`Answer`, no language field). Rows are dealt to the formats 50/30/20 by a seeded draw.
public enum CorpusFormats {
    /// The relative file names and their bytes, plus the personal-data and noise ground truth files.
    public static func files(for corpus: GeneratedCorpus, seed: UInt64) -> [(path: String, data: Data)] {
        var rng = CorpusRandom(seed: seed ^ 0x5EED_F11E)
        var jsonl: [GeneratedRow] = [], csv: [GeneratedRow] = [], xml: [GeneratedRow] = []
        for row in corpus.rows {
            let x = rng.unit()
            if x < 0.5 { jsonl.append(row) } else if x < 0.8 { csv.append(row) } else { xml.append(row) }
        }
        var files: [(String, Data)] = [
            ("cases.jsonl", jsonLines(jsonl, &rng)),
            ("cases.csv", commaSeparated(csv, &rng)),
        ]
        files += medQuAD(xml).map { ("medquad/\($0.0)", $0.1) }
        files.append(("pii_truth.jsonl", JSONLinesWriter.encode(corpus.personalData)))
        files.append(("noise_truth.jsonl", JSONLinesWriter.encode(corpus.noise)))
        return files
    }

    static func jsonLines(_ rows: [GeneratedRow], _ rng: inout CorpusRandom) -> Data {
        var out = ""
        for row in rows {
            let urgency = rng.chance(0.2) ? row.label.rawValue.capitalized : row.label.rawValue
            var fields: [(String, JSONLineValue)] = []
            if row.defect != .missingID { fields.append(("case_id", .string(row.id))) }
            fields.append(("lang", .string(row.lang.rawValue)))
            fields.append(("narrative", .string(row.text)))
            switch row.defect {
            case .missingLabel: break
            case .unknownLabel: fields.append(("urgency", .string("to be assessed")))
            default: fields.append(("urgency", .string(urgency)))
            }
            fields.append(("rationale", .string(row.rationale)))
            var line = JSONLineValue.object(fields).text(.jsonLines)
            if row.defect == .brokenSyntax { line = String(line.dropLast(12)) }
            out += line + "\n"
        }
        return Data(out.utf8)
    }

    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func commaSeparated(_ rows: [GeneratedRow], _ rng: inout CorpusRandom) -> Data {
        var out = "record,language,description,triage_level,notes\r\n"
        for row in rows {
            let level: String
            switch row.defect {
            case .missingLabel: level = ""
            case .unknownLabel: level = "P9"
            default: level = "P\(row.label.rank + 1)"
            }
            let id = row.defect == .missingID ? "" : row.id
            var fields = [id, row.lang.rawValue.uppercased(), row.text, level, row.rationale].map(csvField)
            if row.defect == .brokenSyntax { fields.removeLast(2) }
            out += fields.joined(separator: ",") + "\r\n"
        }
        return Data(out.utf8)
    }

    static func xmlEscape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// One XML document per complaint focus and block of 25 pairs, named like MedQuAD's `0000001_Focus.xml`.
    static func medQuAD(_ rows: [GeneratedRow]) -> [(String, Data)] {
        var byFocus: [String: [GeneratedRow]] = [:]
        for row in rows { byFocus[row.focus, default: []].append(row) }
        var files: [(String, Data)] = []
        var number = 0
        for focus in byFocus.keys.sorted() {
            let group = byFocus[focus]!
            for start in stride(from: 0, to: group.count, by: 25) {
                number += 1
                let docID = String(format: "%07d", number)
                var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                xml += "<Document id=\"\(docID)\" source=\"SyntheticTriage\" url=\"https://example.org/triage/\(docID)\">\n"
                xml += "<Focus>\(xmlEscape(focus))</Focus>\n<QAPairs>\n"
                for (k, row) in group[start..<min(start + 25, group.count)].enumerated() {
                    xml += "<QAPair pid=\"\(k + 1)\">\n"
                    let qid = row.defect == .missingID ? "" : " qid=\"\(xmlEscape(row.id))\""
                    if row.defect != .brokenSyntax {
                        xml += "<Question\(qid) qtype=\"triage\">\(xmlEscape(row.text))</Question>\n"
                    }
                    let urgency: String
                    switch row.defect {
                    case .missingLabel: urgency = ""
                    case .unknownLabel: urgency = " urgency=\"unknown\""
                    default: urgency = " urgency=\"\(row.label.rawValue)\""
                    }
                    xml += "<Answer\(urgency)>\(xmlEscape(row.rationale))</Answer>\n</QAPair>\n"
                }
                xml += "</QAPairs>\n</Document>\n"
                let safe = focus.replacingOccurrences(of: " ", with: "_")
                files.append(("\(docID)_\(safe).xml", Data(xml.utf8)))
            }
        }
        return files
    }
}
