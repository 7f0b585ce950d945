/// The parts of a Hugging Face `tokenizer.json` this implementation reads, decoded as they are spelled on disk.
///
/// Components are decoded loosely (every field optional, dispatched on `type` afterwards) so that an unsupported
/// component yields a `TokenizerError.unsupported` naming its key instead of an opaque decoding error.
struct TokenizerDocument: Decodable {
    var version: String?
    var addedTokens: [AddedToken]?
    var normalizer: Component?
    var preTokenizer: Component?
    var postProcessor: Component?
    var decoder: Component?
    var model: Model

    enum CodingKeys: String, CodingKey {
        case version, normalizer, decoder, model
        case addedTokens = "added_tokens"
        case preTokenizer = "pre_tokenizer"
        case postProcessor = "post_processor"
    }

    /// A normalizer, pre-tokenizer, post-processor or decoder entry.
    struct Component: Decodable {
        var type: String
        var normalizers: [Component]?
        var pretokenizers: [Component]?
        var decoders: [Component]?
        var processors: [Component]?
        var pattern: Pattern?
        var behavior: String?
        var invert: Bool?
        var addPrefixSpace: Bool?
        var useRegex: Bool?

        enum CodingKeys: String, CodingKey {
            case type, normalizers, pretokenizers, decoders, processors, pattern, behavior, invert
            case addPrefixSpace = "add_prefix_space"
            case useRegex = "use_regex"
        }
    }

    /// A Split pattern: `{"Regex": "..."}` or `{"String": "..."}`.
    struct Pattern: Decodable {
        var regex: String?
        var string: String?

        enum CodingKeys: String, CodingKey {
            case regex = "Regex"
            case string = "String"
        }
    }

    /// The `model` object of a BPE tokenizer.
    struct Model: Decodable {
        var type: String?
        var vocab: [String: Int]
        var merges: [Merge]?
        var unkToken: String?
        var continuingSubwordPrefix: String?
        var endOfWordSuffix: String?
        var ignoreMerges: Bool?
        var byteFallback: Bool?
        var dropout: Double?

        enum CodingKeys: String, CodingKey {
            case type, vocab, merges, dropout
            case unkToken = "unk_token"
            case continuingSubwordPrefix = "continuing_subword_prefix"
            case endOfWordSuffix = "end_of_word_suffix"
            case ignoreMerges = "ignore_merges"
            case byteFallback = "byte_fallback"
        }
    }

    /// One merge, in either on-disk form: `"a b"` (tokenizers < 0.20) or `["a", "b"]`.
    struct Merge: Decodable {
        var left: String
        var right: String

        init(from decoder: any Decoder) throws {
            if var pair = try? decoder.unkeyedContainer() {
                left = try pair.decode(String.self)
                right = try pair.decode(String.self)
                guard pair.isAtEnd else {
                    throw DecodingError.dataCorruptedError(in: pair, debugDescription: "a merge pair has exactly two tokens")
                }
                return
            }
            let line = try decoder.singleValueContainer().decode(String.self)
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "merge '\(line)' is not two tokens separated by one space"))
            }
            left = String(parts[0])
            right = String(parts[1])
        }
    }
}
