import Foundation
import Hummingbird
import PipeBasics

/// What `/v1/chat/completions` and `/v1/completions` share: the limits a prompt and `max_tokens` must keep,
/// starting `n` sequences on the continuous-batching scheduler, and the server-sent-events envelope.
extension ServeRouter {
    /// How to decode `prompt` for a request asking `asked` tokens (nil: `fallback`, else the server's limit):
    /// a 400 naming `max_tokens` past the limit, `context_length_exceeded` on `promptField` when the prompt leaves
    /// no room, `logit_bias.<id>` for an id outside the vocabulary.
    func generationParameters(prompt: [Int], promptField: String, asked: Int?, fallback: Int? = nil,
                              options: SamplingOptions, topLogprobs: Int?) throws -> GenerationParameters {
        let vocabulary = session.encoder.tokenizer.vocabularySize
        if let id = options.logitBias.keys.sorted().first(where: { $0 >= vocabulary }) {
            throw APIError.invalid("logit_bias.\(id)", "token id \(id) is not in the vocabulary (0…\(vocabulary - 1))")
        }
        let limit = configuration.maxTokensLimit
        if let asked, asked > limit {
            throw APIError.invalid("max_tokens", "`max_tokens` is \(asked); this server allows at most \(limit)")
        }
        let room = session.config.maxPositionEmbeddings - prompt.count
        guard room >= 1 else {
            throw APIError.invalid(promptField, "the prompt is \(prompt.count) tokens; the model takes at most "
                                       + "\(session.config.maxPositionEmbeddings - 1)", code: "context_length_exceeded")
        }
        if options.minTokens > limit {
            throw APIError.invalid("min_tokens", "`min_tokens` is \(options.minTokens); this server allows at most \(limit)")
        }
        return GenerationParameters(maxTokens: min(asked ?? fallback ?? limit, limit, room), sampling: options,
                                    topLogprobs: topLogprobs)
    }

    /// Starts `n` sequences of `prompt` on the scheduler; choice i samples with seed + i, so a seeded request is
    /// reproducible and its choices differ. Throws the scheduler's 429 / 503.
    func startChoices(prompt: [Int], parameters: GenerationParameters, n: Int) async throws
        -> [AsyncThrowingStream<GenerationEvent, any Error>] {
        var choices: [AsyncThrowingStream<GenerationEvent, any Error>] = []
        for index in 0..<n {
            var choice = parameters
            choice.sampling.seed = parameters.sampling.seed.map { $0 &+ UInt64(index) }
            choices.append(try await scheduler.generate(prompt: prompt, parameters: choice))
        }
        return choices
    }

    /// The events of every choice in one stream, each tagged with its choice's index, in the order they come.
    static func merge(_ choices: [AsyncThrowingStream<GenerationEvent, any Error>])
        -> AsyncThrowingStream<(Int, GenerationEvent), any Error> {
        let (merged, sink) = AsyncThrowingStream<(Int, GenerationEvent), any Error>.makeStream()
        let feeders = Task {
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, events) in choices.enumerated() {
                        group.addTask { for try await event in events { sink.yield((index, event)) } }
                    }
                    try await group.waitForAll()
                }
                sink.finish()
            } catch {
                sink.finish(throwing: error)
            }
        }
        sink.onTermination = { _ in feeders.cancel() }
        return merged
    }

    /// A `text/event-stream` answer: `produce` sends `data: {json}` events, then `data: [DONE]` ends it. A failure
    /// mid-stream (timeout) is sent as an `error` event, since the status line is already out.
    static func serverSentEvents(_ produce: @escaping @Sendable (_ send: (JSONValue) async throws -> Void) async throws -> Void)
        -> Response {
        Response(status: .ok,
                 headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                 body: ResponseBody { writer in
                     do {
                         try await produce { value in
                             try await writer.write(ByteBuffer(string: "data: " + value.text() + "\n\n"))
                         }
                     } catch let error as APIError {
                         try await writer.write(ByteBuffer(string: "data: " + error.json + "\n\n"))
                     }
                     try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
                     try await writer.finish(nil)
                 })
    }
}
