import Foundation
import Tensors

/// Thread policy of the training stages: OpenBLAS runs single-threaded unless `OPENBLAS_NUM_THREADS` says
/// otherwise. Why: the matrices of a small model are too small to split, and OpenBLAS's worker threads spin-wait
/// between calls — measured on the 2-core machine, a default-threaded SFT run spent more time in the kernel (sys)
/// than in user code; the library's own row-parallel loops (`ParallelChunks`) still use every core.
public enum TrainingThreads {
    /// Applies the policy; call once at the start of a stage.
    public static func configure(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if environment["OPENBLAS_NUM_THREADS"] == nil { BLAS.setThreadCount(1) }
    }
}
