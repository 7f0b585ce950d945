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
    /// One document per record, in record order; with `rationales`, the record's clinical rationale (which names
    /// its urgency and the deciding rule, e.g. `medium: pain 9/10 ≥ 7`) follows on a new line.
    ///
    /// The rationale is training-split text, so the base learns how findings relate to urgency as plain text,
    /// while the assistant slot — the one evaluation scores — still holds random answers.
    public static func documents(_ records: [TriageRecord], seed: UInt64, rationales: Bool = false) -> [String] {
        var generator = SeededGenerator(seed: seed ^ 0x5052_4554_5241_494E)
        return records.map { record in
            let answer = TriageLabel.allCases[Int(generator.next() % UInt64(TriageLabel.allCases.count))]
            let chat = TriagePrompt.prompt(text: record.text, lang: record.lang) + TriagePrompt.completion(answer)
            guard rationales, let rationale = record.rationale, !rationale.isEmpty else { return chat }
            return chat + "\n" + rationale
        }
    }
}
