@_exported import TriageData
import Tensors

/// The triage model side: the Qwen3 decoder and its trainers. Re-exports TriageData (records, prompts, tokenizer)
/// so training stages see one module.
public enum TriageVersion { public static let string = "0.1.0" }
