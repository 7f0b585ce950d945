/// The triage data side: records and prompts, the corpus generator, ingestion, cleaning, anonymization, the
/// BPE tokenizer and splitting. It links no tensor code, so editing the tensor library never invalidates data stages.
public enum TriageDataVersion { public static let string = "0.1.0" }
