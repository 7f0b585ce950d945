import PipeBasics

/// The JSON bodies of `/v1/completions`, shaped as OpenAI's legacy Completions API (`text_completion` objects,
/// `choices[i].text`, the legacy `logprobs` object, `usage`), with keys in OpenAI's order; streamed chunks are the
/// same object with the new text.
struct TextCompletionResponse {
    let id: String
    let created: Int
    let model: String

    /// The non-streamed answer; `promptTokens` is the prompts' tokens, each prompt counted once.
    func completion(_ choices: [CompletionChoice], promptTokens: Int, textOffset: [Int]) -> JSONValue {
        .object(header + [
            ("choices", .array(choices.enumerated().map { index, choice in
                self.choice(index: index, text: choice.text,
                            logprobs: choice.logprobs.map { Self.logprobs($0, from: textOffset[index]) },
                            finishReason: choice.finishReason)
            })),
            ("usage", OpenAIEnvelope.usage(promptTokens: promptTokens, completionTokens: choices.reduce(0) { $0 + $1.completionTokens })),
        ])
    }

    /// One streamed chunk of choice `index`.
    func chunk(index: Int, text: String, logprobs: JSONValue? = nil, finishReason: FinishReason? = nil) -> JSONValue {
        .object(header + [("choices", .array([choice(index: index, text: text, logprobs: logprobs, finishReason: finishReason)]))])
    }

    /// The last chunk when `stream_options.include_usage` is set: no choices, only usage.
    func usageChunk(promptTokens: Int, completionTokens: Int) -> JSONValue {
        OpenAIEnvelope.usageChunk(header, promptTokens: promptTokens, completionTokens: completionTokens)
    }

    /// The legacy object: `tokens`, `token_logprobs`, `top_logprobs` (token → log-probability, the chosen token
    /// always among them, as vLLM lists it) and `text_offset` (characters into the choice's text, from `start`).
    static func logprobs(_ entries: [TokenLogprob], from start: Int) -> JSONValue {
        var offsets: [JSONValue] = []
        var offset = start
        for entry in entries {
            offsets.append(.int(offset))
            offset += entry.token.unicodeScalars.count
        }
        return .object([
            ("tokens", .array(entries.map { .string($0.token) })),
            ("token_logprobs", .array(entries.map { .double($0.logprob) })),
            ("top_logprobs", .array(entries.map { entry in
                var listed: [(String, JSONValue)] = []
                for alternative in entry.top + [entry] where !listed.contains(where: { $0.0 == alternative.token }) {
                    listed.append((alternative.token, .double(alternative.logprob)))
                }
                return .object(listed)
            })),
            ("text_offset", .array(offsets)),
        ])
    }

    private func choice(index: Int, text: String, logprobs: JSONValue?, finishReason: FinishReason?) -> JSONValue {
        .object([
            ("index", .int(index)), ("text", .string(text)), ("logprobs", logprobs ?? .null),
            ("finish_reason", finishReason.map { .string($0.rawValue) } ?? .null),
        ])
    }

    private var header: [(String, JSONValue)] {
        OpenAIEnvelope.header(object: "text_completion", id: id, created: created, model: model)
    }
}
