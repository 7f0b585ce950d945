import Foundation

/// Where the served weights come from: a merged f32 checkpoint, or an NF4 base with a PEFT adapter applied
/// (the two ways evaluate scores a model).
public enum ModelSource: Sendable, Equatable {
    /// A Hugging Face directory (`config.json`, `model.safetensors`, `tokenizer.json`), e.g. `models/merged`.
    case merged(directory: String)
    /// The base directory (weights quantized to NF4 on load, as QLoRA trains on) and a PEFT adapter directory.
    case adapted(base: String, adapter: String)

    /// The directory holding `tokenizer.json` and `config.json` (the base for an adapter).
    public var modelDirectory: String {
        switch self {
        case .merged(let directory): directory
        case .adapted(let base, _): base
        }
    }

    /// The name the model is served under by default: the last path component (`merged`, `dpo_adapter`).
    public var defaultName: String {
        switch self {
        case .merged(let directory): URL(fileURLWithPath: directory).standardized.lastPathComponent
        case .adapted(_, let adapter): URL(fileURLWithPath: adapter).standardized.lastPathComponent
        }
    }

    /// The model's key in `reports/evaluate.json`: `merged` for a merged directory, `sft`/`dpo` for
    /// `sft_adapter`/`dpo_adapter`, else the directory name.
    public var evaluationKey: String {
        switch self {
        case .merged: return "merged"
        case .adapted:
            let name = defaultName
            return name.hasSuffix("_adapter") ? String(name.dropLast("_adapter".count)) : name
        }
    }
}
