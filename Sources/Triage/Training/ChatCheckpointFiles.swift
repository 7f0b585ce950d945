import Foundation
import Tensors
import TriageData
import PipeBasics

/// The files beside `config.json` and `model.safetensors` that make a checkpoint directory load as a chat model
/// with Hugging Face's auto classes: `tokenizer_config.json` (Qwen's tokenizer class, `<|im_end|>` as the end of a
/// turn, `<|endoftext|>` as padding, and a ChatML chat template that renders exactly `TriagePrompt`'s prompts) and
/// `generation_config.json` (stop at `<|im_end|>`, greedy). Why: with tokenizer.json alone `AutoTokenizer` falls
/// back to `<|endoftext|>` as EOS and has no chat template, so `apply_chat_template` and `generate` would not stop
/// where the trained model ends its answers.
public enum ChatCheckpointFiles {
    /// The companion file names, in the order they are written or copied.
    public static let names = ["tokenizer_config.json", "generation_config.json"]

    /// ChatML as Qwen writes it (no tools, no thinking block): one `<|im_start|>role\ncontent<|im_end|>\n` per
    /// message, then `<|im_start|>assistant\n` when a generation prompt is asked for.
    public static let chatTemplate = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + "
        + "message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}"
        + "{{ '<|im_start|>assistant\\n' }}{% endif %}"

    /// The JSON text of `tokenizer_config.json` for a model of at most `maxLength` positions (written as
    /// transformers writes its files).
    public static func tokenizerConfig(maxLength: Int) -> String {
        PythonStyleJSON.encode([
            "add_prefix_space": false,
            "bos_token": NSNull(),
            "chat_template": chatTemplate,
            "clean_up_tokenization_spaces": false,
            "eos_token": TriagePrompt.turnEnd,
            "errors": "replace",
            "model_max_length": maxLength,
            "pad_token": TriagePrompt.padding,
            "split_special_tokens": false,
            "tokenizer_class": "Qwen2Tokenizer",
            "unk_token": NSNull(),
        ] as [String: Any])
    }

    /// The JSON text of `generation_config.json`: greedy decoding that stops at `eosTokenIds`.
    public static func generationConfig(eosTokenIds: [Int], padTokenId: Int?) -> String {
        PythonStyleJSON.encode(["do_sample": false, "eos_token_id": eosTokenIds,
                                "pad_token_id": padTokenId.map { $0 as Any } ?? NSNull()] as [String: Any])
    }

    /// Writes both files into `directory` (atomically) for `config` and the tokenizer's `<|endoftext|>` id.
    public static func write(to directory: URL, config: Qwen3Config, padTokenId: Int?) throws {
        try AtomicFileWriter.write(Array(tokenizerConfig(maxLength: config.maxPositionEmbeddings).utf8),
                                   to: directory.appendingPathComponent(names[0]).path)
        try AtomicFileWriter.write(Array(generationConfig(eosTokenIds: config.eosTokenIds, padTokenId: padTokenId).utf8),
                                   to: directory.appendingPathComponent(names[1]).path)
    }

    /// Copies whichever of the two files `source` has into `directory` (a checkpoint adopted or merged keeps its own).
    /// `directory` is a model directory being built whole (published by one rename), so plain copies suffice.
    public static func copy(from source: URL, to directory: URL) throws {
        for name in names {
            let file = source.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: file.path) else { continue }
            try FileManager.default.copyItem(at: file, to: directory.appendingPathComponent(name))
        }
    }

    /// Copies `tokenizer.json` (which `source` must have) and the companion files it has into `directory`.
    public static func copyTokenizer(from source: URL, to directory: URL) throws {
        try FileManager.default.copyItem(at: source.appendingPathComponent("tokenizer.json"),
                                         to: directory.appendingPathComponent("tokenizer.json"))
        try copy(from: source, to: directory)
    }
}
