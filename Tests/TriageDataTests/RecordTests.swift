import Foundation
import Testing
@testable import TriageData

@Test func recordsSerialiseWithAFixedKeyOrderAndUnescapedSlashesAndAccents() {
    let record = TriageRecord(id: "a/1", source: "s", lang: .fr, text: "Douleur \"thoracique\"\nà l'effort",
                              label: .immediate, rationale: nil)
    #expect(record.jsonLine.text(.jsonLines)
        == #"{"id":"a/1","source":"s","lang":"fr","text":"Douleur \"thoracique\"\nà l'effort","label":"immediate"}"#)
    var withRationale = record
    withRationale.rationale = "SpO2 88%"
    #expect(withRationale.jsonLine.text(.jsonLines).hasSuffix(#""label":"immediate","rationale":"SpO2 88%"}"#))
}

@Test func jsonLinesRoundTripThroughTheStreamingReader() throws {
    let rows = (0..<2_000).map {
        TriageRecord(id: "r\($0)", source: "t", lang: $0 % 2 == 0 ? .en : .fr, text: "text \($0) é ✓",
                     label: TriageLabel.allCases[$0 % 3])
    }
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("records-\(UUID().uuidString).jsonl")
    defer { try? FileManager.default.removeItem(at: url) }
    var bytes = Data()
    let writer = JSONLinesWriter(sink: { bytes.append($0) })
    for row in rows { try writer.write(row) }
    try writer.finish()
    #expect(bytes == JSONLinesWriter.encode(rows))
    try bytes.write(to: url)
    #expect(try JSONLinesReader(url: url).readAll(TriageRecord.self) == rows)
}

@Test func aBadLineIsAnErrorNamingTheFileLineAndField() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).jsonl")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data("""
    {"id":"1","source":"s","lang":"en","text":"x","label":"medium"}

    {"id":"2","source":"s","lang":"de","text":"x","label":"medium"}
    """.utf8).write(to: url)
    do {
        _ = try JSONLinesReader(url: url).readAll(TriageRecord.self)
        Issue.record("expected an error")
    } catch let error as DataFileError {
        #expect(error.line == 3)
        #expect(error.description.contains("lang"))
    }
}

@Test func thePromptIsChatStyleInTheRecordsLanguageAndAnswersParseBack() {
    let prompt = TriagePrompt.prompt(text: "Chest pain for 20 minutes.", lang: .en)
    #expect(prompt.hasPrefix("<|im_start|>system\n"))
    #expect(prompt.contains("<|im_start|>user\nChest pain for 20 minutes.<|im_end|>"))
    #expect(prompt.hasSuffix("<|im_start|>assistant\n"))
    #expect(TriagePrompt.prompt(text: "x", lang: .fr).contains("répondez"))
    #expect(TriagePrompt.completion(.medium) == "medium<|im_end|>")
    #expect(TriagePrompt.parseAnswer(" Immediate.<|im_end|>") == .immediate)
    #expect(TriagePrompt.parseAnswer("delayed") == .delayed)
    #expect(TriagePrompt.parseAnswer("urgent") == nil)
    let findings = TriagePrompt.findingsPrompt(text: "Chest pain for 20 minutes.", lang: .fr)
    #expect(findings.contains("listez les constatations") && findings.hasSuffix("<|im_start|>assistant\n"))
    #expect(TriagePrompt.isFindingsPrompt(findings) && !TriagePrompt.isFindingsPrompt(prompt))
    #expect(TriagePrompt.findingsCompletion("pain 8/10 ≥ 7") == "pain 8/10 ≥ 7<|im_end|>")
    #expect(TriagePrompt.instruction(.en) == "You are an emergency department triage nurse. Read the patient "
        + "description and answer with one word for the urgency: immediate, medium or delayed.")
    #expect(TriagePrompt.findingsInstruction(.fr) == "Vous êtes infirmier d'accueil et d'orientation aux urgences. "
        + "Lisez la description du patient et listez les constatations cliniques qui fixent l'urgence.")
    #expect(TriageLabel.immediate < TriageLabel.delayed)
}
