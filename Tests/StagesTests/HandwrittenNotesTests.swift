import Foundation
import Testing
import TriageData

/// The hand-written evaluation set (`data/handwritten/notes.jsonl`, docs/corpus.md §7) keeps the shape evaluate
/// and the docs promise: TriageRecords in the canonical key order, enough notes per language, every label present.
struct HandwrittenNotesTests {
    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("data/handwritten/notes.jsonl")

    static func notes() throws -> [TriageRecord] { try JSONLinesReader(url: url).readAll(TriageRecord.self) }

    @Test func theNotesParseAsTriageRecordsWrittenInTheCanonicalKeyOrder() throws {
        let notes = try Self.notes()
        let text = try Data(contentsOf: Self.url)
        #expect(JSONLinesWriter.encode(notes) == text, "one record per line, keys id, source, lang, text, label, rationale")
        #expect(notes.allSatisfy { $0.source == "handwritten" })
    }

    @Test func eachLanguageHasAtLeastSixtyNotesWithEveryLabelAndFifteenImmediate() throws {
        let notes = try Self.notes()
        for lang in RecordLanguage.allCases {
            let mine = notes.filter { $0.lang == lang }
            #expect(mine.count >= 60, "\(lang): \(mine.count) notes")
            for label in TriageLabel.allCases {
                #expect(mine.contains { $0.label == label }, "\(lang) has no \(label) note")
            }
            #expect(mine.filter { $0.label == .immediate }.count >= 15, "\(lang): fewer than 15 immediate notes")
        }
    }

    @Test func idsAreUniqueAndEveryRationaleOpensWithItsNotesLabel() throws {
        let notes = try Self.notes()
        #expect(Set(notes.map(\.id)).count == notes.count, "duplicate ids")
        for note in notes {
            let rationale = TriageRationale(note.rationale ?? "")
            #expect(rationale.verdict == note.label && !rationale.findings.isEmpty, "\(note.id): \(note.rationale ?? "no rationale")")
        }
    }

    @Test func noNoteRepeatsAnotherText() throws {
        let texts = try Self.notes().map { $0.text.lowercased() }
        #expect(Set(texts).count == texts.count)
    }
}
