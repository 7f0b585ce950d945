import Foundation

extension Tokenizer {
    /// Loads a Hugging Face `tokenizer.json` (byte-level BPE: GPT-2, Qwen2/3, or one `BytePairTrainer` wrote).
    ///
    /// Throws `unreadable`, `malformed` (with the key path), `unsupported` (a component outside byte-level BPE),
    /// `invalidMerge` or `missingByteToken`.
    public init(contentsOf url: URL) throws {
        let path = url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TokenizerError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        try self.init(json: data, path: path)
    }

    /// Parses a `tokenizer.json` held in memory; `path` only names it in errors.
    public init(json data: Data, path: String = "<memory>") throws {
        let document: TokenizerDocument
        do { document = try JSONDecoder().decode(TokenizerDocument.self, from: data) } catch let error as DecodingError {
            throw TokenizerError.malformed(path: path, key: Self.keyPath(of: error), reason: Self.reason(of: error))
        }
        let model = document.model
        if let type = model.type, type != "BPE" { throw TokenizerError.unsupported(path: path, key: "model.type", value: type) }
        if let prefix = model.continuingSubwordPrefix, !prefix.isEmpty {
            throw TokenizerError.unsupported(path: path, key: "model.continuing_subword_prefix", value: prefix)
        }
        if let suffix = model.endOfWordSuffix, !suffix.isEmpty {
            throw TokenizerError.unsupported(path: path, key: "model.end_of_word_suffix", value: suffix)
        }
        if model.byteFallback == true { throw TokenizerError.unsupported(path: path, key: "model.byte_fallback", value: "true") }
        if let dropout = model.dropout, dropout > 0 {
            throw TokenizerError.unsupported(path: path, key: "model.dropout", value: "\(dropout)")
        }
        let bpe = try BytePairModel(vocabulary: model.vocab, merges: (model.merges ?? []).map { ($0.left, $0.right) },
                                    ignoreMerges: model.ignoreMerges ?? false, unknownToken: model.unkToken, path: path)
        let normalizer = try Self.normalizer(document.normalizer, path: path, key: "normalizer")
        let preTokenizer = try Self.preTokenizer(document.preTokenizer, path: path)
        try Self.checkByteLevel(document.postProcessor, path: path, key: "post_processor")
        try Self.checkByteLevel(document.decoder, path: path, key: "decoder")
        self.init(model: bpe, addedTokens: document.addedTokens ?? [], normalizer: normalizer, preTokenizer: preTokenizer)
    }

    private static func normalizer(_ component: TokenizerDocument.Component?, path: String, key: String) throws -> TextNormalizer {
        guard let component else { return .none }
        switch component.type {
        case "NFC": return .nfc
        case "Sequence":
            let parts = try (component.normalizers ?? []).enumerated().map {
                try normalizer($0.element, path: path, key: "\(key).normalizers[\($0.offset)]")
            }.filter { $0 != .none }
            if parts.isEmpty { return .none }
            if parts == [.nfc] { return .nfc }
            throw TokenizerError.unsupported(path: path, key: key, value: "Sequence of \(parts.count) normalizers")
        default: throw TokenizerError.unsupported(path: path, key: "\(key).type", value: component.type)
        }
    }

    private static func preTokenizer(_ component: TokenizerDocument.Component?, path: String) throws -> PreTokenizer {
        let key = "pre_tokenizer"
        guard let component else { return try PreTokenizer.splitting(on: nil, addPrefixSpace: false, path: path, key: key) }
        switch component.type {
        case "ByteLevel":
            let addPrefixSpace = component.addPrefixSpace ?? true
            if component.useRegex ?? true { return .byteLevelWithRegex(addPrefixSpace: addPrefixSpace) }
            return try PreTokenizer.splitting(on: nil, addPrefixSpace: addPrefixSpace, path: path, key: key)
        case "Sequence":
            let parts = component.pretokenizers ?? []
            guard parts.count == 2, parts[0].type == "Split", parts[1].type == "ByteLevel", parts[1].useRegex == false else {
                let types = parts.map(\.type).joined(separator: ", ")
                throw TokenizerError.unsupported(path: path, key: "\(key).pretokenizers", value: "[\(types)]")
            }
            let split = parts[0]
            if let behavior = split.behavior, behavior != "Isolated" {
                throw TokenizerError.unsupported(path: path, key: "\(key).pretokenizers[0].behavior", value: behavior)
            }
            if split.invert == true { throw TokenizerError.unsupported(path: path, key: "\(key).pretokenizers[0].invert", value: "true") }
            let pattern: String
            if let regex = split.pattern?.regex {
                pattern = regex
            } else if let literal = split.pattern?.string {
                pattern = NSRegularExpression.escapedPattern(for: literal)
            } else {
                throw TokenizerError.malformed(path: path, key: "\(key).pretokenizers[0].pattern", reason: "needs Regex or String")
            }
            return try PreTokenizer.splitting(on: pattern, addPrefixSpace: parts[1].addPrefixSpace ?? false, path: path,
                                              key: "\(key).pretokenizers[0].pattern")
        default:
            throw TokenizerError.unsupported(path: path, key: "\(key).type", value: component.type)
        }
    }

    /// Post-processor and decoder: ByteLevel (or absent) is all a byte-level BPE without templates needs.
    private static func checkByteLevel(_ component: TokenizerDocument.Component?, path: String, key: String) throws {
        guard let component else { return }
        if component.type == "ByteLevel" { return }
        if component.type == "Sequence", let inner = component.decoders ?? component.processors,
           inner.allSatisfy({ $0.type == "ByteLevel" }) { return }
        throw TokenizerError.unsupported(path: path, key: "\(key).type", value: component.type)
    }

    private static func keyPath(of error: DecodingError) -> String {
        let path: [any CodingKey]
        switch error {
        case let .keyNotFound(key, context): path = context.codingPath + [key]
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context): path = context.codingPath
        @unknown default: path = []
        }
        let rendered = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return rendered.hasPrefix(".") ? String(rendered.dropFirst()) : (rendered.isEmpty ? "<root>" : rendered)
    }

    private static func reason(of error: DecodingError) -> String {
        switch error {
        case .keyNotFound: "required key is missing"
        case let .typeMismatch(type, _): "expected \(type)"
        case .valueNotFound: "value is null"
        case let .dataCorrupted(context): context.underlyingError.map { "\(context.debugDescription) (\($0.localizedDescription))" }
            ?? context.debugDescription
        @unknown default: "cannot be decoded"
        }
    }
}
