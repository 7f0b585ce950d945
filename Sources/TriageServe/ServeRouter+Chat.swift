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
        let prompt = session.encoder.encode(ChatPrompt.render(parsed.messages))
        let options = parsed.sampling
        let parameters = try generationParameters(prompt: prompt, promptField: "messages", asked: parsed.maxTokens,
                                                  options: options, topLogprobs: parsed.logprobs ? parsed.topLogprobs : nil)
        let choices = try await startChoices(prompt: prompt, parameters: parameters, n: options.n)
        let shape = ChatCompletionResponse(id: "chatcmpl-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""),
                                           created: Int(Date().timeIntervalSince1970), model: session.name)
        if options.stream {
            return Self.stream(Self.merge(choices), choices: options.n, promptTokens: prompt.count, shape: shape,
                               includeUsage: options.includeUsage, logprobs: parsed.logprobs)
        }
        var answers: [CompletionChoice] = []
        for events in choices { answers.append(try await CompletionChoice(collecting: events, logprobs: parsed.logprobs)) }
        return Self.json(shape.completion(answers, promptTokens: prompt.count))
    }

    /// Server-sent events: a role chunk per choice, a chunk per text piece, each choice's finish chunk, the usage
    /// chunk if asked, `[DONE]`.
    static func stream(_ events: AsyncThrowingStream<(Int, GenerationEvent), any Error>, choices: Int, promptTokens: Int,
                       shape: ChatCompletionResponse, includeUsage: Bool, logprobs: Bool) -> Response {
        serverSentEvents { send in
            for index in 0..<choices { try await send(shape.chunk(index: index, role: true, content: "")) }
            var completionTokens = 0
            for try await (index, event) in events {
                switch event {
                case let .text(piece, entries):
                    try await send(shape.chunk(index: index, content: piece, logprobs: logprobs ? entries : nil))
                case let .finished(reason, completion):
                    try await send(shape.chunk(index: index, finishReason: reason))
                    completionTokens += completion
                }
            }
            if includeUsage {
                try await send(shape.usageChunk(promptTokens: promptTokens, completionTokens: completionTokens))
            }
        }
    }
}
