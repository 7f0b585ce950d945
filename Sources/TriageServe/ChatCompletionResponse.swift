import PipeBasics

/// The JSON bodies of `/v1/chat/completions`, shaped exactly as OpenAI's (`chat.completion` and
/// `chat.completion.chunk` objects, `usage`, `finish_reason`, `logprobs: null`), with keys in OpenAI's order.
struct ChatCompletionResponse {
    let id: String
    let created: Int
    let model: String

    /// The non-streamed answer.
    func completion(content: String, finishReason: FinishReason, promptTokens: Int, completionTokens: Int) -> JSONValue {
        .object([
            ("id", .string(id)), ("object", .string("chat.completion")), ("created", .int(created)),
            ("model", .string(model)),
            ("choices", .array([.object([
                ("index", .int(0)),
                ("message", .object([("role", .string("assistant")), ("content", .string(content))])),
                ("logprobs", .null),
                ("finish_reason", .string(finishReason.rawValue)),
            ])])),
            ("usage", usage(promptTokens: promptTokens, completionTokens: completionTokens)),
        ])
    }

    /// One streamed chunk: the first carries the role, later ones content, the last the finish reason.
    func chunk(role: Bool = false, content: String? = nil, finishReason: FinishReason? = nil) -> JSONValue {
        var delta: [(String, JSONValue)] = []
        if role { delta.append(("role", .string("assistant"))) }
        if let content { delta.append(("content", .string(content))) }
        return .object(header + [
            ("choices", .array([.object([
                ("index", .int(0)), ("delta", .object(delta)), ("logprobs", .null),
                ("finish_reason", finishReason.map { .string($0.rawValue) } ?? .null),
            ])])),
        ])
    }

    /// The last chunk when `stream_options.include_usage` is set: no choices, only usage.
    func usageChunk(promptTokens: Int, completionTokens: Int) -> JSONValue {
        .object(header + [("choices", .array([])),
                          ("usage", usage(promptTokens: promptTokens, completionTokens: completionTokens))])
    }

    private var header: [(String, JSONValue)] {
        [("id", .string(id)), ("object", .string("chat.completion.chunk")), ("created", .int(created)),
         ("model", .string(model))]
    }

    private func usage(promptTokens: Int, completionTokens: Int) -> JSONValue {
        .object([("prompt_tokens", .int(promptTokens)), ("completion_tokens", .int(completionTokens)),
                 ("total_tokens", .int(promptTokens + completionTokens))])
    }
}
