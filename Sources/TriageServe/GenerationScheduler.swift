import Foundation
import ServiceLifecycle
import TriageData

/// Continuous batching of chat completions, in the sense vLLM uses the term: one loop decodes every active
/// sequence one token per step in a single packed forward pass, and sequences join (their prompt prefilled within
/// that same pass) and leave (stop token, stop string, `max_tokens`, cancellation) between steps, so a long
/// completion never holds a short one back and a new request does not wait for the batch to drain.
///
/// At most `maxBatch` sequences decode at once; up to `queueSize` more wait, and past that a request is refused
/// with 429. A service: on graceful shutdown it takes no new request and returns when the active ones finished.
public actor GenerationScheduler: Service, DrainingLoop {
    private final class Sequence {
        let id: UInt64
        let prompt: [Int]
        let parameters: GenerationParameters
        var sampler: TokenSampler
        var text: CompletionText
        var generated: [Int] = []
        /// Log-probabilities of tokens whose text has not been sent yet (when asked for).
        var logprobs: [TokenLogprob] = []
        var pending: [Int]
        let continuation: AsyncThrowingStream<GenerationEvent, any Error>.Continuation
        let deadline: ContinuousClock.Instant

        init(id: UInt64, prompt: [Int], parameters: GenerationParameters, endTokens: Set<Int>, vocabularyLimit: Int,
             deadline: ContinuousClock.Instant, continuation: AsyncThrowingStream<GenerationEvent, any Error>.Continuation) {
            self.id = id
            self.prompt = prompt
            self.parameters = parameters
            sampler = TokenSampler(parameters.sampling, prompt: prompt, endTokens: endTokens, vocabularyLimit: vocabularyLimit)
            text = CompletionText(stops: parameters.sampling.stop)
            pending = prompt
            self.continuation = continuation
            self.deadline = deadline
        }
    }

    private let session: ModelSession
    private let maxBatch: Int
    private let queueSize: Int
    private let timeout: Duration
    private let metrics: ServeMetrics?
    private var waiting: [Sequence] = []
    private var active: [Sequence] = []
    private var abandoned: Set<UInt64> = []
    private var nextID: UInt64 = 0
    var wakeup: CheckedContinuation<Void, Never>?
    var draining = false
    /// Decode steps run since start, and the most sequences one step held (tests check that requests shared steps).
    public private(set) var steps = 0
    /// The largest number of sequences decoded in one step so far.
    public private(set) var widestStep = 0

    /// A scheduler decoding on `session`, `maxBatch` sequences per step, `queueSize` waiting at most.
    public init(session: ModelSession, maxBatch: Int, queueSize: Int, timeout: Duration, metrics: ServeMetrics? = nil) {
        self.session = session
        self.maxBatch = maxBatch
        self.queueSize = queueSize
        self.timeout = timeout
        self.metrics = metrics
    }

    /// Starts decoding `prompt`; the stream yields text pieces and then `.finished`. Throws `APIError.queueFull`
    /// when `queueSize` requests already wait, `APIError.shuttingDown` once shutdown began. Ending the stream's
    /// iteration early (a client gone) removes the sequence at the next step.
    public func generate(prompt: [Int], parameters: GenerationParameters) throws -> AsyncThrowingStream<GenerationEvent, any Error> {
        guard !draining else { throw APIError.shuttingDown }
        guard waiting.count < queueSize else { throw APIError.queueFull(retryAfter: 1) }
        nextID += 1
        let id = nextID
        let (stream, continuation) = AsyncThrowingStream<GenerationEvent, any Error>.makeStream()
        continuation.onTermination = { termination in
            if case .cancelled = termination { Task { await self.abandon(id) } }
        }
        waiting.append(Sequence(id: id, prompt: prompt, parameters: parameters, endTokens: session.stopTokenIds,
                                vocabularyLimit: session.encoder.tokenizer.vocabularySize,
                                deadline: .now + timeout, continuation: continuation))
        metrics?.setChatQueueDepth(waiting.count)
        wakeLoop()
        return stream
    }

    private func abandon(_ id: UInt64) {
        if let index = waiting.firstIndex(where: { $0.id == id }) {
            waiting.remove(at: index)
            metrics?.setChatQueueDepth(waiting.count)
        } else {
            abandoned.insert(id)
        }
    }

    /// The decoding loop; returns once shutdown began and no sequence is left.
    public func run() async throws { await runUntilDrained() }

    func loop() async {
        while true {
            if active.isEmpty && waiting.isEmpty {
                if draining { return }
                await waitForWork()
                continue
            }
            // Join: waiting sequences fill the free slots; leave: abandoned ones go.
            while active.count < maxBatch, !waiting.isEmpty { active.append(waiting.removeFirst()) }
            metrics?.setChatQueueDepth(waiting.count)
            let gone = active.filter { abandoned.contains($0.id) }
            active.removeAll { abandoned.contains($0.id) }
            abandoned.subtract(gone.map(\.id))
            if !gone.isEmpty { await session.release(gone.map(\.id)) }
            guard !active.isEmpty else { continue }
            let stepping = active
            let logits = await session.decodeStep(stepping.map { ($0.id, $0.pending) })
            steps += 1
            widestStep = max(widestStep, stepping.count)
            metrics?.recordBatch(size: stepping.count)
            var finished: [UInt64] = []
            for (sequence, row) in zip(stepping, logits) where advance(sequence, logits: row) {
                finished.append(sequence.id)
            }
            metrics?.recordGeneratedTokens(stepping.count)
            if !finished.isEmpty {
                active.removeAll { finished.contains($0.id) }
                await session.release(finished)
            }
        }
    }

    /// Samples the next token of `sequence`, sends what text is safe, and reports whether the sequence ended.
    private func advance(_ sequence: Sequence, logits: [Float]) -> Bool {
        let token = sequence.sampler.next(logits)
        let parameters = sequence.parameters
        if let topCount = parameters.topLogprobs, !session.stopTokenIds.contains(token) {
            sequence.logprobs.append(TokenLogprob.entry(chosen: token, logits: logits, topCount: topCount,
                                                        tokenizer: session.encoder.tokenizer))
        }
        func finish(_ reason: FinishReason) -> Bool {
            sequence.continuation.yield(.finished(reason, completionTokens: sequence.generated.count))
            sequence.continuation.finish()
            return true
        }
        if session.stopTokenIds.contains(token) && !parameters.sampling.ignoreEOS {
            sequence.generated.append(token)
            emit(sequence, final: true)
            return finish(.stop)
        }
        sequence.generated.append(token)
        sequence.pending = [token]
        let atLimit = sequence.generated.count >= parameters.maxTokens
        if emit(sequence, final: atLimit) { return finish(.stop) }
        if atLimit { return finish(.length) }
        if ContinuousClock.now >= sequence.deadline {
            sequence.continuation.finish(throwing: APIError.timedOut(after: Double(timeout.components.seconds)))
            return true
        }
        return false
    }

    /// Sends the newly settled text of `sequence` (without a trailing stop token) with the log-probabilities of the
    /// tokens behind it; returns whether a stop string ended it.
    @discardableResult
    private func emit(_ sequence: Sequence, final: Bool) -> Bool {
        let ids = sequence.generated.filter { !session.stopTokenIds.contains($0) }
        let text = (try? session.encoder.tokenizer.decode(ids, skipSpecialTokens: true)) ?? ""
        let (delta, stopped) = sequence.text.advance(to: text, final: final)
        if !delta.isEmpty || ((final || stopped) && !sequence.logprobs.isEmpty) {
            sequence.continuation.yield(.text(delta, logprobs: sequence.logprobs))
            sequence.logprobs = []
        }
        return stopped
    }
}
