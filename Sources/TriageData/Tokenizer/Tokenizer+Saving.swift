import Foundation
import PipeBasics

extension Tokenizer {
    /// The tokenizer as Hugging Face `tokenizer.json` bytes: deterministic (vocabulary in id order, merges in rank
    /// order, fixed key order), in the layout `tokenizers` 0.20+ writes (merges as `["a", "b"]` pairs).
    public func jsonData() -> Data {
        var out = "{\n"
        out += "  \"version\": \"1.0\",\n  \"truncation\": null,\n  \"padding\": null,\n"
        out += "  \"added_tokens\": ["
        for (i, token) in addedTokens.sorted(by: { $0.id < $1.id }).enumerated() {
            out += i == 0 ? "\n" : ",\n"
            out += "    {\"id\": \(token.id), \"content\": \(JSONString.quote(token.content)), "
                + "\"single_word\": \(token.singleWord), \"lstrip\": \(token.lstrip), \"rstrip\": \(token.rstrip), "
                + "\"normalized\": \(token.normalized), \"special\": \(token.special)}"
        }
        out += addedTokens.isEmpty ? "],\n" : "\n  ],\n"
        out += "  \"normalizer\": " + (normalizer == .nfc ? "{\"type\": \"NFC\"}" : "null") + ",\n"
        let byteLevel = "{\"type\": \"ByteLevel\", \"add_prefix_space\": \(preTokenizer.addPrefixSpace), "
            + "\"trim_offsets\": false, \"use_regex\": false}"
        if preTokenizer.isByteLevelRegex {
            out += "  \"pre_tokenizer\": {\"type\": \"ByteLevel\", \"add_prefix_space\": \(preTokenizer.addPrefixSpace), "
                + "\"trim_offsets\": true, \"use_regex\": true},\n"
        } else if let pattern = preTokenizer.pattern {
            out += "  \"pre_tokenizer\": {\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Split\", "
                + "\"pattern\": {\"Regex\": \(JSONString.quote(pattern))}, \"behavior\": \"Isolated\", \"invert\": false}, "
                + byteLevel + "]},\n"
        } else {
            out += "  \"pre_tokenizer\": " + byteLevel + ",\n"
        }
        out += "  \"post_processor\": " + byteLevel + ",\n"
        out += "  \"decoder\": " + byteLevel + ",\n"
        out += "  \"model\": {\n    \"type\": \"BPE\",\n    \"dropout\": null,\n"
        out += "    \"unk_token\": " + (model.unknownToken.map { JSONString.quote($0) } ?? "null") + ",\n"
        out += "    \"continuing_subword_prefix\": null,\n    \"end_of_word_suffix\": null,\n    \"fuse_unk\": false,\n"
        out += "    \"byte_fallback\": false,\n    \"ignore_merges\": \(model.ignoreMerges),\n    \"vocab\": {"
        var first = true
        for (id, token) in model.tokens.enumerated() {
            guard let token else { continue }
            out += first ? "\n" : ",\n"
            first = false
            out += "      \(JSONString.quote(token)): \(id)"
        }
        out += "\n    },\n    \"merges\": ["
        for (i, merge) in model.merges.enumerated() {
            out += i == 0 ? "\n" : ",\n"
            out += "      [\(JSONString.quote(model.tokens[Int(merge.left)]!)), \(JSONString.quote(model.tokens[Int(merge.right)]!))]"
        }
        out += "\n    ]\n  }\n}\n"
        return Data(out.utf8)
    }

    /// Writes `tokenizer.json` atomically (a temporary file in the same directory, fsync, then a rename).
    public func write(to url: URL) throws {
        do { try AtomicFileWriter.write(jsonData(), to: url.path) } catch {
            throw TokenizerError.unwritable(path: url.path, reason: "\(error)")
        }
    }
}
