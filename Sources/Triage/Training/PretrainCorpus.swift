import Foundation
import Tensors
import TriageData

/// The pretraining documents: each training record in the chat format the later stages use, answered with a
/// label word drawn uniformly at random (seeded), independent of the record's label.
///
/// Why: the label words and `<|im_end|>` occur nowhere in plain clinical text, so a base trained on the text
/// alone leaves their (tied) embedding rows at their random initialisation and LoRA, which cannot touch the
/// embedding, cannot learn to emit them. Random answers teach the turn format and the answer vocabulary while
/// carrying no information about the label, so the base stays at chance on triage (as a real base model would).
public enum PretrainCorpus {
    /// One document per record, in record order; with `rationales`, the record's clinical findings follow on a
    /// new line — the rationale without its verdict (`SpO2 86% < 90%`, not `immediate: SpO2 86% < 90%`).
    ///
    /// The findings are training-split text, so the base learns which values fall in which band (`heart rate 111
    /// in 110–129`) as plain text. The verdict word is left out on purpose: a line starting with the label right
    /// after the note teaches the base the task itself — measured, a base pretrained for 2000 steps on rationales
    /// with verdicts classified 66 % of the test split correctly although its assistant slot only ever held random
    /// answers. Without the verdict the base knows the findings but not the urgency they mean, as a real base model
    /// knows that 86 % is below 90 % without having been taught triage.
    public static func documents(_ records: [TriageRecord], seed: UInt64, rationales: Bool = false) -> [String] {
        var generator = SeededGenerator(seed: seed ^ 0x5052_4554_5241_494E)
        return records.map { record in
            let answer = TriageLabel.allCases[Int(generator.next() % UInt64(TriageLabel.allCases.count))]
            let chat = TriagePrompt.prompt(text: record.text, lang: record.lang) + TriagePrompt.completion(answer)
            guard rationales, let rationale = record.rationale.map(findings), !rationale.isEmpty else { return chat }
            return chat + "\n" + rationale
        }
    }

    /// A rationale without its leading verdict (`immediate: `, `medium: `, `delayed: `, any case); other text as is.
    public static func findings(_ rationale: String) -> String {
        TriageRationale(rationale).findings
    }
}
