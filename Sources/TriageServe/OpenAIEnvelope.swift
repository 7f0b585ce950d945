import PipeBasics

/// The parts every OpenAI completion body shares, chat or legacy, whole or streamed: the leading
/// `id` / `object` / `created` / `model` fields and the `usage` object.
enum OpenAIEnvelope {
    /// `id`, `object`, `created`, `model`, in OpenAI's order.
    static func header(object: String, id: String, created: Int, model: String) -> [(String, JSONValue)] {
        [("id", .string(id)), ("object", .string(object)), ("created", .int(created)), ("model", .string(model))]
    }

    /// `{"prompt_tokens", "completion_tokens", "total_tokens"}`.
    static func usage(promptTokens: Int, completionTokens: Int) -> JSONValue {
        .object([("prompt_tokens", .int(promptTokens)), ("completion_tokens", .int(completionTokens)),
                 ("total_tokens", .int(promptTokens + completionTokens))])
    }

    /// The last chunk of a stream with `stream_options.include_usage`: the header, no choices, the usage.
    static func usageChunk(_ header: [(String, JSONValue)], promptTokens: Int, completionTokens: Int) -> JSONValue {
        .object(header + [("choices", .array([])), ("usage", usage(promptTokens: promptTokens, completionTokens: completionTokens))])
    }
}
