/// OpenAI request fields this server has nothing behind (tools, JSON mode, stored completions, audio): accepted when absent, null or at the value meaning "off", which is what SDKs and
/// frameworks send by default; any other value is a 400 naming the field, never silently ignored.
extension ChatCompletionRequest {
    /// Any JSON value, skipped: only whether an array of them is empty matters.
    private struct Skipped: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    /// `{"type": …}` of `response_format`.
    private struct ResponseFormat: Decodable {
        var type: String
    }

    static func checkNeutralOpenAIFields(_ c: KeyedDecodingContainer<CodingKeys>) throws {
        func unsupported(_ key: CodingKeys, _ what: String) -> APIError {
            APIError.invalid(key.stringValue, "`\(key.stringValue)`: \(what)", code: "unsupported_value")
        }
        for key in [CodingKeys.tools, .functions] {
            if let list = try c.decodeIfPresent([Skipped].self, forKey: key), !list.isEmpty {
                throw unsupported(key, "this server has no function calling (only [] or null)")
            }
        }
        for key in [CodingKeys.toolChoice, .functionCall] {
            guard c.contains(key), try !c.decodeNil(forKey: key) else { continue }
            guard let choice = try? c.decode(String.self, forKey: key), ["none", "auto"].contains(choice) else {
                throw unsupported(key, "this server has no function calling (only \"none\", \"auto\" or null)")
            }
        }
        _ = try c.decodeIfPresent(Bool.self, forKey: .parallelToolCalls)
        if let format = try c.decodeIfPresent(ResponseFormat.self, forKey: .responseFormat), format.type != "text" {
            throw unsupported(.responseFormat, "only {\"type\": \"text\"} is supported, got \"\(format.type)\"")
        }
        if try c.decodeIfPresent(Bool.self, forKey: .store) == true {
            throw unsupported(.store, "this server stores no completions (only false or null)")
        }
        _ = try c.decodeIfPresent([String: String].self, forKey: .metadata)
        if let tier = try c.decodeIfPresent(String.self, forKey: .serviceTier), !["auto", "default"].contains(tier) {
            throw unsupported(.serviceTier, "only \"auto\" or \"default\", got \"\(tier)\"")
        }
        if let modalities = try c.decodeIfPresent([String].self, forKey: .modalities), modalities != ["text"] {
            throw unsupported(.modalities, "this model writes text only (only [\"text\"] or null)")
        }
        _ = try c.decodeIfPresent(String.self, forKey: .promptCacheKey)
        _ = try c.decodeIfPresent(String.self, forKey: .safetyIdentifier)
    }
}
