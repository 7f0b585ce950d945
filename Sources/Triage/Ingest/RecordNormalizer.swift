import Foundation

/// Turns the rows of source files into `TriageRecord`s through their `SourceMapping`, sending every row that
/// cannot be mapped to quarantine with a reason — never dropping one silently.
public struct RecordNormalizer {
    /// What normalizing all sources produced.
    public struct Result: Sendable {
        public var records: [TriageRecord] = []
        public var quarantined: [QuarantinedRow] = []
        /// Rows read per source name.
        public var read: [String: Int] = [:]
        /// How many records got their language from the detector.
        public var detectedLanguage = 0
    }

    /// Gives records their language when the mapping has no language field and no fixed language.
    public var detector = LanguageDetector()
    private var seenIDs: Set<String> = []

    public init() {}

    /// Reads every mapping's file(s) in order and accumulates records and quarantined rows.
    public mutating func normalize(_ mappings: [SourceMapping], resolve: (String) -> URL) throws -> Result {
        var result = Result()
        for mapping in mappings {
            let root = resolve(mapping.path)
            for file in try Self.files(at: root, format: mapping.format) {
                try normalize(file: file, displayName: Self.display(file, root: root, mapping: mapping),
                              mapping: mapping, into: &result)
            }
        }
        return result
    }

    /// The files of a source: the path itself, or the sorted files with the format's extension in a directory.
    static func files(at url: URL, format: SourceMapping.Format) throws -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw DataFileError(path: url.path, message: "the source file does not exist",
                                fix: "check `path` in params.yaml and that download produced it")
        }
        guard isDirectory.boolValue else { return [url] }
        let names = try FileManager.default.contentsOfDirectory(atPath: url.path)
            .filter { $0.lowercased().hasSuffix("." + format.rawValue) && !$0.hasPrefix(".") }.sorted()
        return names.map { url.appendingPathComponent($0) }
    }

    static func display(_ file: URL, root: URL, mapping: SourceMapping) -> String {
        file == root ? mapping.path : mapping.path + "/" + file.lastPathComponent
    }

    mutating func normalize(file: URL, displayName: String, mapping: SourceMapping, into result: inout Result) throws {
        func quarantine(_ location: String, _ reason: QuarantineReason, _ detail: String, _ raw: String) {
            result.quarantined.append(QuarantinedRow(source: mapping.name, location: location, reason: reason,
                                                     detail: detail, raw: raw))
        }
        switch mapping.format {
        case .jsonl:
            try JSONLinesReader(url: file).forEachLine { number, line in
                guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
                result.read[mapping.name, default: 0] += 1
                let raw = String(decoding: line, as: UTF8.self)
                let location = "\(displayName):\(number)"
                guard let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] else {
                    quarantine(location, .syntax, "not a JSON object", raw)
                    return
                }
                var fields: [String: String] = [:]
                for (key, value) in object {
                    if let s = value as? String { fields[key] = s }
                    else if let n = value as? NSNumber { fields[key] = n.stringValue }
                }
                map(fields, location: location, raw: raw, mapping: mapping, into: &result)
            }
        case .csv:
            let text: String
            do { text = try String(contentsOf: file, encoding: .utf8) } catch {
                throw DataFileError(path: file.path, message: "not readable as UTF-8 text", fix: "re-export it as UTF-8")
            }
            let rows: [CSVReader.Row]
            do { rows = try CSVReader(text: text).rows() } catch let error as CSVReader.SyntaxError {
                result.read[mapping.name, default: 0] += 1
                quarantine("\(displayName):\(error.line)", .syntax, error.message, "")
                return
            }
            guard var header = rows.first else { return }
            if let first = header.fields.first, first.hasPrefix("\u{FEFF}") { header.fields[0] = String(first.dropFirst()) }
            let missing = mapping.fields.values.filter { !header.fields.contains($0) }.sorted()
            guard missing.isEmpty else {
                throw DataFileError(path: file.path, line: header.line,
                                    message: "the header has no column \(missing.map { "'\($0)'" }.joined(separator: ", ")) "
                                        + "(it has \(header.fields.map { "'\($0)'" }.joined(separator: ", ")))",
                                    fix: "correct `fields` of source '\(mapping.name)' in params.yaml")
            }
            for row in rows.dropFirst() {
                result.read[mapping.name, default: 0] += 1
                let location = "\(displayName):\(row.line)"
                let raw = row.fields.joined(separator: ",")
                guard row.fields.count == header.fields.count else {
                    quarantine(location, .wrongColumnCount,
                               "\(row.fields.count) fields where the header has \(header.fields.count)", raw)
                    continue
                }
                let fields = Dictionary(zip(header.fields, row.fields), uniquingKeysWith: { first, _ in first })
                map(fields, location: location, raw: raw, mapping: mapping, into: &result)
            }
        case .xml:
            let items: [MedQuADReader.Item]
            do {
                items = try MedQuADReader(data: try Data(contentsOf: file), recordElement: mapping.recordElement).items()
            } catch let error as MedQuADReader.SyntaxError {
                result.read[mapping.name, default: 0] += 1
                quarantine("\(displayName):\(error.line)", .syntax, "whole file skipped: \(error.message)", "")
                return
            }
            for item in items {
                result.read[mapping.name, default: 0] += 1
                let raw = item.fields.keys.sorted().map { "\($0)=\(item.fields[$0]!)" }.joined(separator: " | ")
                map(item.fields, location: "\(displayName)#\(item.index)", raw: raw, mapping: mapping, into: &result)
            }
        }
    }

    /// Maps one row's fields to a record, or quarantines it with the first problem found.
    mutating func map(_ fields: [String: String], location: String, raw: String, mapping: SourceMapping,
                      into result: inout Result) {
        func quarantine(_ reason: QuarantineReason, _ detail: String) {
            result.quarantined.append(QuarantinedRow(source: mapping.name, location: location, reason: reason,
                                                     detail: detail, raw: raw))
        }
        func value(_ field: String) -> String? {
            guard let key = mapping.fields[field], let v = fields[key] else { return nil }
            let trimmed = v.trimmingCharacters(in: .whitespacesAndNewlines)
            return field == "text" ? v : (trimmed.isEmpty ? nil : trimmed)
        }
        guard let id = value("id") else { return quarantine(.missingField, "no id in '\(mapping.fields["id"]!)'") }
        guard let text = value("text") else { return quarantine(.missingField, "no text in '\(mapping.fields["text"]!)'") }
        guard text.contains(where: { !$0.isWhitespace }) else {
            return quarantine(.missingField, "the text in '\(mapping.fields["text"]!)' is empty")
        }
        guard let labelText = value("label") else {
            return quarantine(.missingField, "no label in '\(mapping.fields["label"]!)'")
        }
        guard let label = Self.label(labelText, extra: mapping.labels) else {
            return quarantine(.unknownLabel, "label '\(labelText)' is not immediate, medium or delayed"
                + (mapping.labels.isEmpty ? "" : " nor one of \(mapping.labels.keys.sorted())"))
        }
        let lang: RecordLanguage
        if mapping.fields["lang"] != nil, let langText = value("lang") {
            guard let known = Self.language(langText) else {
                return quarantine(.unknownLanguage, "language '\(langText)' is neither English nor French")
            }
            lang = known
        } else if let fallback = mapping.defaultLanguage {
            lang = fallback
        } else if let detected = detector.detect(text).language {
            lang = detected
            result.detectedLanguage += 1
        } else {
            return quarantine(.undeterminedLanguage, "no language field and the text is neither clearly English nor French")
        }
        guard seenIDs.insert(id).inserted else { return quarantine(.duplicateID, "id '\(id)' was already used") }
        result.records.append(TriageRecord(id: id, source: mapping.name, lang: lang, text: text, label: label,
                                           rationale: value("rationale")))
    }

    /// A label from its canonical name or an extra spelling, case-insensitive.
    static func label(_ text: String, extra: [String: TriageLabel]) -> TriageLabel? {
        let lowered = text.lowercased()
        if let canonical = TriageLabel(rawValue: lowered) { return canonical }
        return extra.first { $0.key.lowercased() == lowered }?.value
    }

    /// A language from its code or name in English or French.
    static func language(_ text: String) -> RecordLanguage? {
        switch text.lowercased().folding(options: .diacriticInsensitive, locale: nil) {
        case "en", "eng", "english", "anglais": return .en
        case "fr", "fra", "fre", "french", "francais": return .fr
        default: return nil
        }
    }
}
