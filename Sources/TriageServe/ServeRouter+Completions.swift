import Foundation
import Hummingbird
import PipeBasics

/// `POST /v1/completions`: OpenAI's legacy Completions API as vLLM serves it — each prompt tokenized as is (no chat
/// template) or taken as token ids, completed `n` times on the same continuous-batching scheduler as chat, answered
/// whole or as server-sent events of `text_completion` chunks ending `data: [DONE]`.
extension ServeRouter {
    func completions(_ request: Request) async throws -> Response {
        let parsed = try RequestDecoding.decode(CompletionRequest.self, from: try await body(of: request))
        if let model = parsed.model, model != session.name {
            throw APIError.notFound("model", "the model `\(model)` does not exist; this server serves `\(session.name)`")
        }
        let tokenizer = session.encoder.tokenizer
        var prompts: [(ids: [Int], text: String)] = []
        for (index, prompt) in parsed.prompts.enumerated() {
            let field = parsed.prompts.count == 1 ? "prompt" : "prompt[\(index)]"
            switch prompt {
            case .text(let text):
                prompts.append((session.encoder.encode(text), text))
            case .tokens(let ids):
                guard let bad = ids.first(where: { !(0..<tokenizer.vocabularySize).contains($0) }) else {
                    prompts.append((ids, (try? tokenizer.decode(ids)) ?? ""))
                    continue
                }
                throw APIError.invalid(field, "token id \(bad) is not in the vocabulary (0…\(tokenizer.vocabularySize - 1))")
            }
        }
        let options = parsed.sampling
        var choices: [AsyncThrowingStream<GenerationEvent, any Error>] = []
        for (index, prompt) in prompts.enumerated() {
            let parameters = try generationParameters(prompt: prompt.ids,
                                                      promptField: prompts.count == 1 ? "prompt" : "prompt[\(index)]",
                                                      asked: parsed.maxTokens, options: options, topLogprobs: parsed.logprobs)
            choices += try await startChoices(prompt: prompt.ids, parameters: parameters, n: options.n)
        }
        // Choice i completes prompt i / n; with `echo` its text starts with that prompt.
        let echoed = (0..<choices.count).map { parsed.echo ? prompts[$0 / options.n].text : "" }
        let promptTokens = prompts.reduce(0) { $0 + $1.ids.count }
        let shape = TextCompletionResponse(id: "cmpl-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""),
                                           created: Int(Date().timeIntervalSince1970), model: session.name)
        if options.stream {
            return Self.stream(Self.merge(choices), echoed: echoed, promptTokens: promptTokens, shape: shape,
                               includeUsage: options.includeUsage, logprobs: parsed.logprobs != nil)
        }
        var answers: [CompletionChoice] = []
        for (index, events) in choices.enumerated() {
            answers.append(try await CompletionChoice(collecting: events, prefix: echoed[index], logprobs: parsed.logprobs != nil))
        }
        return Self.json(shape.completion(answers, promptTokens: promptTokens,
                                          textOffset: echoed.map { $0.unicodeScalars.count }))
    }

    /// Server-sent events: the echoed prompt first (when asked), a chunk per text piece, each choice's finish
    /// chunk, the usage chunk if asked, `[DONE]`.
    static func stream(_ events: AsyncThrowingStream<(Int, GenerationEvent), any Error>, echoed: [String], promptTokens: Int,
                       shape: TextCompletionResponse, includeUsage: Bool, logprobs: Bool) -> Response {
        serverSentEvents { send in
            var offsets = echoed.map { $0.unicodeScalars.count }
            for (index, text) in echoed.enumerated() where !text.isEmpty { try await send(shape.chunk(index: index, text: text)) }
            var completionTokens = 0
            for try await (index, event) in events {
                switch event {
                case let .text(piece, entries):
                    let legacy = logprobs ? TextCompletionResponse.logprobs(entries, from: offsets[index]) : nil
                    offsets[index] += entries.reduce(0) { $0 + $1.token.unicodeScalars.count }
                    try await send(shape.chunk(index: index, text: piece, logprobs: legacy))
                case let .finished(reason, completion):
                    try await send(shape.chunk(index: index, text: "", finishReason: reason))
                    completionTokens += completion
                }
            }
            if includeUsage { try await send(shape.usageChunk(promptTokens: promptTokens, completionTokens: completionTokens)) }
        }
    }
}
