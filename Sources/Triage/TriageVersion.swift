import TriageData
import Tensors

/// The triage model side: the Qwen3 decoder and its trainers, built on TriageData (records, prompts, tokenizer)
/// and Tensors; stages import each module they use themselves.
public enum TriageVersion { public static let string = "0.1.0" }
