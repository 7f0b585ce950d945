import Foundation
import Tensors
import TriageData

/// Turns SFT rows, DPO rows and records into token ids with one tokenizer and one length limit, so training and
/// evaluation see identical sequences.
public struct TriageTextEncoder: Sendable {
    /// The tokenizer (`tokenizer.json` of the tokenize stage, or a Qwen one).
    public let tokenizer: Tokenizer
    /// The longest sequence fed to the model; longer prompts lose their start (`keep_end`).
    public let maxLength: Int
    /// The id used to pad batches (`<|endoftext|>` when the vocabulary has it, else 0).
    public let padId: Int

    /// An encoder over `tokenizer` with sequences of at most `maxLength` tokens.
    public init(tokenizer: Tokenizer, maxLength: Int) {
        precondition(maxLength >= 8, "sequences need room for a prompt and a completion")
        self.tokenizer = tokenizer
        self.maxLength = maxLength
        padId = tokenizer.id(of: TriagePrompt.padding) ?? 0
    }

    /// The ids of `text`.
    public func encode(_ text: String) -> [Int] { tokenizer.encode(text) }

    /// An SFT row as a completion example.
    public func example(_ row: SFTRow) -> CompletionExample {
        CompletionExample(promptIds: encode(row.prompt), completionIds: encode(row.completion)).truncated(toLength: maxLength)
    }

    /// The chosen and rejected examples of a DPO row.
    public func pair(_ row: DPORow) -> (chosen: CompletionExample, rejected: CompletionExample) {
        let prompt = encode(row.prompt)
        return (CompletionExample(promptIds: prompt, completionIds: encode(row.chosen)).truncated(toLength: maxLength),
                CompletionExample(promptIds: prompt, completionIds: encode(row.rejected)).truncated(toLength: maxLength))
    }

    /// The prompt ids of a record, as SFT saw it.
    public func promptIds(_ record: TriageRecord) -> [Int] {
        promptIds(text: record.text, lang: record.lang)
    }

    /// The prompt ids of a description in `lang` (what evaluation and the server score), keeping its end when long.
    public func promptIds(text: String, lang: RecordLanguage) -> [Int] {
        Array(encode(TriagePrompt.prompt(text: text, lang: lang)).suffix(maxLength - 1))
    }
}
