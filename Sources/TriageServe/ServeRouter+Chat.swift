import Foundation
import Hummingbird
import PipeBasics

/// `POST /v1/chat/completions`: the ChatML prompt of the messages, decoded by the continuous-batching scheduler as
/// `n` sequences, answered whole or as server-sent events (`data: {chunk}` lines, then `data: [DONE]`). Both forms
/// read the same event streams, so a streamed completion concatenates to the non-streamed one.
extension ServeRouter {
    func chat(_ request: Request) async throws -> Response {
        let parsed = try RequestDecoding.decode(ChatCompletionRequest.self, from: try await body(of: request))
        if let model = parsed.model, model != session.name {
            throw APIError.notFound("model", "the model `\(model)` does not exist; this server serves `\(session.name)`")
        }
        let vocabulary = session.encoder.tokenizer.vocabularySize
        if let id = parsed.logitBias.keys.sorted().first(where: { $0 >= vocabulary }) {
            throw APIError.invalid("logit_bias.\(id)", "token id \(id) is not in the vocabulary (0…\(vocabulary - 1))")
        }
        let prompt = session.encoder.encode(ChatPrompt.render(parsed.messages))
        let limit = configuration.maxTokensLimit
        if let asked = parsed.maxTokens, asked > limit {
            throw APIError.invalid("max_tokens", "`max_tokens` is \(asked); this server allows at most \(limit)")
        }
        let room = session.config.maxPositionEmbeddings - prompt.count
        guard room >= 1 else {
            throw APIError.invalid("messages", "the prompt is \(prompt.count) tokens; the model takes at most "
                                       + "\(session.config.maxPositionEmbeddings - 1)", code: "context_length_exceeded")
        }
        let parameters = GenerationParameters(maxTokens: min(parsed.maxTokens ?? limit, limit, room),
                                              temperature: parsed.temperature, topP: parsed.topP, seed: parsed.seed,
                                              stop: parsed.stop, presencePenalty: parsed.presencePenalty,
                                              frequencyPenalty: parsed.frequencyPenalty, logitBias: parsed.logitBias,
                                              topLogprobs: parsed.logprobs ? parsed.topLogprobs : nil)
        // Choice i samples with seed + i, so a seeded request is reproducible and its choices differ.
        var choices: [AsyncThrowingStream<GenerationEvent, any Error>] = []
        for index in 0..<parsed.n {
            var choice = parameters
            choice.seed = parsed.seed.map { $0 &+ UInt64(index) }
            choices.append(try await scheduler.generate(prompt: prompt, parameters: choice))
        }
        let shape = ChatCompletionResponse(id: "chatcmpl-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""),
                                           created: Int(Date().timeIntervalSince1970), model: session.name)
        if parsed.stream {
            return stream(Self.merge(choices), choices: parsed.n, shape: shape, includeUsage: parsed.includeUsage,
                          logprobs: parsed.logprobs)
        }
        var answers: [ChatCompletionResponse.Choice] = []
        var promptTokens = prompt.count
        for events in choices {
            var answer = ChatCompletionResponse.Choice(logprobs: parsed.logprobs ? [] : nil)
            for try await event in events {
                switch event {
                case let .text(piece, logprobs):
                    answer.content += piece
                    answer.logprobs?.append(contentsOf: logprobs)
                case let .finished(reason, prompt, completion):
                    (answer.finishReason, answer.completionTokens, promptTokens) = (reason, completion, prompt)
                }
            }
            answers.append(answer)
        }
        return Self.json(shape.completion(answers, promptTokens: promptTokens))
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

    /// Server-sent events: a role chunk per choice, a chunk per text piece, each choice's finish chunk, the usage
    /// chunk if asked, `[DONE]`. A failure mid-stream (timeout) is sent as an `error` event, since the status line
    /// is already out.
    func stream(_ events: AsyncThrowingStream<(Int, GenerationEvent), any Error>, choices: Int,
                shape: ChatCompletionResponse, includeUsage: Bool, logprobs: Bool) -> Response {
        Response(status: .ok,
                 headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                 body: ResponseBody { writer in
                     func send(_ value: JSONValue) async throws {
                         try await writer.write(ByteBuffer(string: "data: " + value.text() + "\n\n"))
                     }
                     for index in 0..<choices { try await send(shape.chunk(index: index, role: true, content: "")) }
                     var promptTokens = 0, completionTokens = 0
                     do {
                         for try await (index, event) in events {
                             switch event {
                             case let .text(piece, entries):
                                 try await send(shape.chunk(index: index, content: piece, logprobs: logprobs ? entries : nil))
                             case let .finished(reason, prompt, completion):
                                 try await send(shape.chunk(index: index, finishReason: reason))
                                 (promptTokens, completionTokens) = (prompt, completionTokens + completion)
                             }
                         }
                         if includeUsage {
                             try await send(shape.usageChunk(promptTokens: promptTokens, completionTokens: completionTokens))
                         }
                     } catch let error as APIError {
                         try await writer.write(ByteBuffer(string: "data: " + error.json + "\n\n"))
                     }
                     try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
                     try await writer.finish(nil)
                 })
    }
}
