import PipeBasics

/// The JSON bodies of `/v1/chat/completions`, shaped exactly as OpenAI's (`chat.completion` and
/// `chat.completion.chunk` objects, `usage`, `finish_reason`, `logprobs`), with keys in OpenAI's order.
struct ChatCompletionResponse {
    let id: String
    let created: Int
    let model: String

    /// The non-streamed answer: `choices` in index order, the prompt counted once in `usage`.
    func completion(_ choices: [CompletionChoice], promptTokens: Int) -> JSONValue {
        .object(OpenAIEnvelope.header(object: "chat.completion", id: id, created: created, model: model) + [
            ("choices", .array(choices.enumerated().map { index, choice in
                .object([
                    ("index", .int(index)),
                    ("message", .object([("role", .string("assistant")), ("content", .string(choice.text))])),
                    ("logprobs", choice.logprobs.map { Self.logprobs($0, refusal: true) } ?? .null),
                    ("finish_reason", .string(choice.finishReason.rawValue)),
                ])
            })),
            ("usage", OpenAIEnvelope.usage(promptTokens: promptTokens, completionTokens: choices.reduce(0) { $0 + $1.completionTokens })),
        ])
    }

    /// One streamed chunk of choice `index`: the first carries the role, later ones content (with its tokens'
    /// log-probabilities when asked for), the last the finish reason.
    func chunk(index: Int = 0, role: Bool = false, content: String? = nil, logprobs: [TokenLogprob]? = nil,
               finishReason: FinishReason? = nil) -> JSONValue {
        var delta: [(String, JSONValue)] = []
        if role { delta.append(("role", .string("assistant"))) }
        if let content { delta.append(("content", .string(content))) }
        return .object(header + [
            ("choices", .array([.object([
                ("index", .int(index)), ("delta", .object(delta)),
                ("logprobs", logprobs.map { Self.logprobs($0, refusal: false) } ?? .null),
                ("finish_reason", finishReason.map { .string($0.rawValue) } ?? .null),
            ])])),
        ])
    }

    /// The last chunk when `stream_options.include_usage` is set: no choices, only usage.
    func usageChunk(promptTokens: Int, completionTokens: Int) -> JSONValue {
        OpenAIEnvelope.usageChunk(header, promptTokens: promptTokens, completionTokens: completionTokens)
    }

    /// `{"content": [{"token", "logprob", "bytes", "top_logprobs"}], "refusal": null}` (no `refusal` in chunks).
    static func logprobs(_ entries: [TokenLogprob], refusal: Bool) -> JSONValue {
        func entry(_ e: TokenLogprob, top: Bool) -> JSONValue {
            var fields: [(String, JSONValue)] = [
                ("token", .string(e.token)), ("logprob", .double(e.logprob)), ("bytes", .array(e.bytes.map { .int(Int($0)) })),
            ]
            if top { fields.append(("top_logprobs", .array(e.top.map { entry($0, top: false) }))) }
            return .object(fields)
        }
        return .object([("content", .array(entries.map { entry($0, top: true) }))] + (refusal ? [("refusal", .null)] : []))
    }

    private var header: [(String, JSONValue)] {
        OpenAIEnvelope.header(object: "chat.completion.chunk", id: id, created: created, model: model)
    }
}
