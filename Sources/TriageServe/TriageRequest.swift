import PipeBasics
import TriageData

/// The body of `POST /v1/triage`: one description (`{"text", "lang"?}`) or a batch (`{"inputs": [{…}, …]}`, or the
/// bare list `[{…}, …]`).
public struct TriageRequest: Decodable, Sendable, Equatable {
    /// One description to classify.
    public struct Item: Decodable, Sendable, Equatable {
        /// The patient description (non-empty after trimming).
        public var text: String
        /// `en` or `fr`; detected from the text when absent.
        public var lang: RecordLanguage?

        /// An item; `lang` nil means "detect it".
        public init(text: String, lang: RecordLanguage? = nil) {
            self.text = text
            self.lang = lang
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case text, lang }

        /// Decodes strictly: unknown fields, an empty text and a language other than en/fr are 400s naming the field.
        public init(from decoder: any Decoder) throws {
            try RequestDecoding.rejectUnknownFields(decoder, CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            text = try c.decode(String.self, forKey: .text)
            let path = CodingKeyPath.render(decoder.codingPath + [CodingKeys.text])
            guard !text.allSatisfy(\.isWhitespace) else { throw APIError.invalid(path, "`\(path)` is empty", code: "empty_text") }
            if let code = try c.decodeIfPresent(String.self, forKey: .lang) {
                guard let lang = RecordLanguage(rawValue: code) else {
                    let langPath = CodingKeyPath.render(decoder.codingPath + [CodingKeys.lang])
                    throw APIError.invalid(langPath, "`\(langPath)` must be \"en\" or \"fr\", got \"\(code)\"")
                }
                self.lang = lang
            }
        }
    }

    /// The descriptions, in order.
    public var items: [Item]
    /// Whether the body used the batch form (the answer then is `{"results": […]}`).
    public var isBatch: Bool

    enum CodingKeys: String, CodingKey, CaseIterable { case text, lang, inputs }

    /// Decodes any form; mixing them, or an empty list, is a 400.
    public init(from decoder: any Decoder) throws {
        if var list = try? decoder.unkeyedContainer() {
            var items: [Item] = []
            while !list.isAtEnd { items.append(try list.decode(Item.self)) }
            guard !items.isEmpty else { throw APIError.invalid(nil, "the list of descriptions is empty", code: "empty_inputs") }
            self.items = items
            isBatch = true
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if c.contains(.inputs) {
            try RequestDecoding.rejectUnknownFields(decoder, BatchKeys.self)
            items = try c.decode([Item].self, forKey: .inputs)
            guard !items.isEmpty else { throw APIError.invalid("inputs", "`inputs` is empty", code: "empty_inputs") }
            isBatch = true
        } else {
            items = [try Item(from: decoder)]
            isBatch = false
        }
    }

    enum BatchKeys: String, CodingKey, CaseIterable { case inputs }
}
