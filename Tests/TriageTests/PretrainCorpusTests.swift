import Foundation
import Testing
import TriageData
@testable import Triage

@Suite struct PretrainCorpusTests {
    func record(_ label: TriageLabel, _ rationale: String?, id: String = "r1") -> TriageRecord {
        TriageRecord(id: id, source: "test", lang: .en, text: "Obs: HR 158, SpO2 86% on room air.", label: label,
                     rationale: rationale)
    }

    @Test func findingsDropTheVerdictButKeepEveryFinding() {
        #expect(PretrainCorpus.findings("immediate: SpO2 86% < 90%") == "SpO2 86% < 90%")
        #expect(PretrainCorpus.findings("medium: heart rate 111 in 110–129; pain 8/10 ≥ 7")
                == "heart rate 111 in 110–129; pain 8/10 ≥ 7")
        #expect(PretrainCorpus.findings("Delayed : minor skin complaint") == "minor skin complaint")
        #expect(PretrainCorpus.findings("note: not a verdict") == "note: not a verdict")
    }

    @Test func documentsAppendTheFindingsWithoutTheLabelOfTheRecord() {
        let docs = PretrainCorpus.documents([record(.immediate, "immediate: SpO2 86% < 90%")], seed: 1, rationales: true)
        #expect(docs.count == 1)
        #expect(docs[0].hasSuffix("<|im_end|>\nSpO2 86% < 90%"))
        #expect(!docs[0].contains("immediate:"))
    }

    @Test func theAssistantAnswerIsDrawnIndependentlyOfTheLabel() {
        let records = (0..<300).map { record(.immediate, nil, id: "r\($0)") }
        let answers = PretrainCorpus.documents(records, seed: 7).map { doc in
            TriagePrompt.parseAnswer(String(doc.split(separator: "assistant\n").last ?? ""))
        }
        let counts = Dictionary(grouping: answers.compactMap { $0 }, by: { $0 }).mapValues(\.count)
        #expect(answers.allSatisfy { $0 != nil })
        #expect(TriageLabel.allCases.allSatisfy { (counts[$0] ?? 0) > 60 })
    }

    @Test func documentsAreTheSameForTheSameSeed() {
        let records = (0..<20).map { record(.medium, "medium: pain 8/10 ≥ 7", id: "r\($0)") }
        #expect(PretrainCorpus.documents(records, seed: 3, rationales: true)
                == PretrainCorpus.documents(records, seed: 3, rationales: true))
    }
}
