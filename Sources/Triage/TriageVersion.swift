import Tensors
/// Domain code shared by the triage stages: records, prompts, tokenizer, model, trainers.
public enum TriageVersion { public static let string = "0.1.0" }
