import Dispatch

/// Splits `0..<count` into a few contiguous chunks and runs them on the available cores.
///
/// Kernels use it for their outer loop (row panels, blocks). It makes up to `8 × cores` chunks so that when another
/// process takes a core (the machine is shared) the remaining threads pick up its work instead of waiting on one
/// big stalled chunk, and runs inline when the work is too small to pay for a dispatch.
public struct ParallelChunks: Sendable {
    /// Total number of items.
    public let count: Int
    /// Number of chunks the work is cut into.
    public let chunkCount: Int

    /// The number of threads kernels spread work over (the active processor count).
    public static let threadCount: Int = max(1, ProcessInfoShim.activeProcessorCount)

    /// Plans chunks of at least `minimumPerChunk` items each.
    public init(count: Int, minimumPerChunk: Int = 1, maximumChunks: Int = ParallelChunks.threadCount * 8) {
        self.count = count
        let byWork = max(1, count / max(1, minimumPerChunk))
        self.chunkCount = max(1, min(byWork, maximumChunks, max(count, 1)))
    }

    /// The item range of chunk `index`.
    public func range(of index: Int) -> Range<Int> {
        let base = count / chunkCount, extra = count % chunkCount
        let start = index * base + min(index, extra)
        return start..<(start + base + (index < extra ? 1 : 0))
    }

    /// Runs `body` once per chunk, concurrently when there is more than one chunk.
    ///
    /// Kernels hand raw buffers to `body` through `nonisolated(unsafe)` locals: each chunk writes a disjoint range.
    public func run(_ body: @Sendable (Range<Int>) -> Void) {
        if chunkCount == 1 {
            body(0..<count)
            return
        }
        DispatchQueue.concurrentPerform(iterations: chunkCount) { body(range(of: $0)) }
    }
}
