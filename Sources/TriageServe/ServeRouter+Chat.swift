import Foundation
import Hummingbird
import PipeBasics

/// `POST /v1/chat/completions`: the ChatML prompt of the messages, decoded by the continuous-batching scheduler,
/// answered whole or as server-sent events (`data: {chunk}` lines, then `data: [DONE]`). Both forms read the same
/// event stream, so a streamed completion concatenates to the non-streamed one.
extension ServeRouter {
    func chat(_ request: Request) async throws -> Response {
        let parsed = try RequestDecoding.decode(ChatCompletionRequest.self, from: try await body(of: request))
        if let model = parsed.model, model != session.name {
            throw APIError.notFound("model", "the model `\(model)` does not exist; this server serves `\(session.name)`")
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
                                              stop: parsed.stop)
        let events = try await scheduler.generate(prompt: prompt, parameters: parameters)
        let shape = ChatCompletionResponse(id: "chatcmpl-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""),
                                           created: Int(Date().timeIntervalSince1970), model: session.name)
        if parsed.stream { return stream(events, shape: shape, includeUsage: parsed.includeUsage) }
        var content = ""
        for try await event in events {
            switch event {
            case .text(let piece): content += piece
            case let .finished(reason, promptTokens, completionTokens):
                return Self.json(shape.completion(content: content, finishReason: reason, promptTokens: promptTokens,
                                                  completionTokens: completionTokens))
            }
        }
        throw APIError(status: .internalServerError, message: "the completion ended without a finish", type: "server_error",
                       code: "internal")
    }

    /// Server-sent events: a role chunk, a chunk per text piece, the finish chunk, the usage chunk if asked, `[DONE]`.
    /// A failure mid-stream (timeout) is sent as an `error` event, since the status line is already out.
    func stream(_ events: AsyncThrowingStream<GenerationEvent, any Error>, shape: ChatCompletionResponse,
                includeUsage: Bool) -> Response {
        Response(status: .ok,
                 headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                 body: ResponseBody { writer in
                     func send(_ value: JSONValue) async throws {
                         try await writer.write(ByteBuffer(string: "data: " + value.text() + "\n\n"))
                     }
                     try await send(shape.chunk(role: true, content: ""))
                     do {
                         for try await event in events {
                             switch event {
                             case .text(let piece): try await send(shape.chunk(content: piece))
                             case let .finished(reason, promptTokens, completionTokens):
                                 try await send(shape.chunk(finishReason: reason))
                                 if includeUsage {
                                     try await send(shape.usageChunk(promptTokens: promptTokens, completionTokens: completionTokens))
                                 }
                             }
                         }
                     } catch let error as APIError {
                         try await writer.write(ByteBuffer(string: "data: " + error.json + "\n\n"))
                     }
                     try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
                     try await writer.finish(nil)
                 })
    }
}
