import Foundation

extension Tokenizer {
    /// The ids of every text, computed on `threads` threads (default: the active processor count), each with its
    /// own `TokenEncoder` over a contiguous slice of `texts`. Results are in input order and do not depend on the
    /// thread count (the caches change only speed).
    public func encodeBatch(_ texts: [String], threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> [[UInt32]] {
        let workers = max(1, min(threads, texts.count))
        var results = [[UInt32]](repeating: [], count: texts.count)
        results.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer
            let chunk = (texts.count + workers - 1) / max(1, workers)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let encoder = TokenEncoder(self)
                let lower = worker * chunk, upper = min(texts.count, lower + chunk)
                guard lower < upper else { return }
                for i in lower..<upper { output[i] = encoder.encode(texts[i]) }
            }
        }
        return results
    }
}
