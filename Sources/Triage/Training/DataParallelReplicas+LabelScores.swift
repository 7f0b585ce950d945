import Tensors
import TriageData

extension DataParallelReplicas {
    /// The log-probability of each label word (`TriageClassifier.scores`) for every record, in record order: the
    /// records are cut into one contiguous shard per model and the shards scored at once, no graph built.
    ///
    /// Why: DPO's pair mining scores a few thousand records with the SFT model before training; the replicas are
    /// loaded for training anyway, and with one per core the scoring takes half the time. Each record is scored by
    /// one model alone, so the scores do not depend on the replica count.
    public func labelScores(_ records: [TriageRecord], encoder: TriageTextEncoder) -> [[Double]] {
        let shards = shards(records)
        return run { r, model in
            let classifier = TriageClassifier(model: model, encoder: encoder)
            return shards[r].map { classifier.scores(promptIds: encoder.promptIds($0)) }
        }.flatMap { $0 }
    }
}
