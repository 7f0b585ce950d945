import Foundation
import ServiceLifecycle

/// Dynamic batching of triage scoring: requests that arrive close together are scored in one batched forward
/// pass. Requests that arrive while a batch is being scored form the next one; under load (the last batch held
/// several requests) the first waiting request also opens a collection window (`window`), and the batch closes when
/// the window ends or `maxBatch` descriptions are waiting, whichever is first. The queue is bounded: past `queueSize` waiting
/// descriptions a request is refused at once with a retry delay estimated from recent batch times.
///
/// A service: `run()` is the scoring loop; on graceful shutdown it finishes what is queued and returns, so
/// in-flight requests complete (the HTTP server stops accepting first, as services stop in reverse order).
public actor TriageBatcher: Service, DrainingLoop {
    /// Scores prompts in one pass; the model session in production, a controllable stand-in in tests.
    public typealias Scorer = @Sendable ([[Int]]) async -> [[Double]]

    private struct Job {
        let id: UInt64
        let prompts: [[Int]]
        let continuation: CheckedContinuation<[[Double]], any Error>
    }

    private let scorer: Scorer
    private let window: Duration
    private let maxBatch: Int
    private let queueSize: Int
    private let metrics: ServeMetrics?
    private var pending: [Job] = []
    private var pendingPrompts = 0
    private var nextID: UInt64 = 0
    var wakeup: CheckedContinuation<Void, Never>?
    var draining = false
    private var secondsPerBatch = 0.05
    /// Batches run since start (tests wait on it).
    public private(set) var batchesRun = 0
    /// The size of the last batch run (0 before the first).
    public private(set) var lastBatchSize = 0
    /// The largest batch run so far (tests check that concurrent requests shared a pass).
    public private(set) var largestBatch = 0

    /// A batcher calling `scorer` with at most `maxBatch` prompts per pass after a `window` of collection.
    public init(scorer: @escaping Scorer, window: Duration, maxBatch: Int, queueSize: Int, metrics: ServeMetrics? = nil) {
        precondition(maxBatch >= 1 && queueSize >= 1, "a batch and a queue hold at least one request")
        self.scorer = scorer
        self.window = window
        self.maxBatch = maxBatch
        self.queueSize = queueSize
        self.metrics = metrics
    }

    /// Whether shutdown began (no new request is taken).
    public var isDraining: Bool { draining }

    /// The number of descriptions waiting for a batch.
    public var queueDepth: Int { pendingPrompts }

    /// Scores `prompts` (one request's descriptions) in some upcoming batch. Throws `APIError.queueFull` when the
    /// queue has no room, `APIError.shuttingDown` after shutdown began, and `CancellationError` when the caller's
    /// task is cancelled (a timeout) before its batch starts — the job then leaves the queue.
    public func score(_ prompts: [[Int]]) async throws -> [[Double]] {
        guard !draining else { throw APIError.shuttingDown }
        guard pendingPrompts + prompts.count <= queueSize || pending.isEmpty && prompts.count > queueSize else {
            let batchesAhead = Double(pendingPrompts) / Double(maxBatch) + 1
            throw APIError.queueFull(retryAfter: max(1, Int((batchesAhead * secondsPerBatch).rounded(.up))))
        }
        nextID += 1
        let id = nextID
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard !Task.isCancelled else { continuation.resume(throwing: CancellationError()); return }
                pending.append(Job(id: id, prompts: prompts, continuation: continuation))
                pendingPrompts += prompts.count
                metrics?.setQueueDepth(pendingPrompts)
                wakeLoop()
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    private func cancel(_ id: UInt64) {
        guard let index = pending.firstIndex(where: { $0.id == id }) else { return }
        let job = pending.remove(at: index)
        pendingPrompts -= job.prompts.count
        metrics?.setQueueDepth(pendingPrompts)
        job.continuation.resume(throwing: CancellationError())
    }

    /// The scoring loop; returns once shutdown began and the queue is empty.
    public func run() async throws { await runUntilDrained() }

    func loop() async {
        while true {
            if pending.isEmpty {
                if draining { return }
                await waitForWork()
                continue
            }
            if pendingPrompts < maxBatch && !draining && lastBatchSize > 1 {
                // The collection window, under load only (the last batch held several requests): later requests
                // join this batch. An idle server scores a lone request at once instead of waiting for company.
                try? await Task.sleep(for: window)
            }
            var batch: [Job] = []
            var count = 0
            while let job = pending.first, batch.isEmpty || count + job.prompts.count <= maxBatch {
                batch.append(pending.removeFirst())
                count += job.prompts.count
            }
            pendingPrompts -= count
            metrics?.setQueueDepth(pendingPrompts)
            let start = ContinuousClock.now
            let scores = await scorer(batch.flatMap(\.prompts))
            let elapsed = start.duration(to: .now)
            secondsPerBatch = 0.8 * secondsPerBatch + 0.2 * (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
            batchesRun += 1
            lastBatchSize = count
            largestBatch = max(largestBatch, count)
            metrics?.recordBatch(size: count)
            var offset = 0
            for job in batch {
                job.continuation.resume(returning: Array(scores[offset..<(offset + job.prompts.count)]))
                offset += job.prompts.count
            }
        }
    }
}
