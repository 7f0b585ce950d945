/// Why a tokenizer could not be loaded, trained, saved or used.
///
/// Each case names the file or key at fault and its description says what to do, so a stage can print it as is.
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The file is not valid JSON or lacks a required key.
    case malformed(path: String, key: String, reason: String)
    /// The file uses a component this implementation does not support.
    case unsupported(path: String, key: String, value: String)
    /// A merge names a token missing from the vocabulary, or its result is missing.
    case invalidMerge(path: String, index: Int, merge: String)
    /// The byte-level vocabulary lacks a token for a byte and declares no unknown token.
    case missingByteToken(path: String, byte: UInt8)
    /// Training was asked for a vocabulary smaller than the byte alphabet plus the special tokens.
    case vocabularyTooSmall(requested: Int, minimum: Int)
    /// An id passed to decode is outside the vocabulary.
    case unknownID(Int)
    /// Writing the tokenizer file failed.
    case unwritable(path: String, reason: String)

    /// A stable code tests can match.
    public var code: String {
        switch self {
        case .unreadable: "tokenizer.unreadable"
        case .malformed: "tokenizer.malformed"
        case .unsupported: "tokenizer.unsupported"
        case .invalidMerge: "tokenizer.invalid-merge"
        case .missingByteToken: "tokenizer.missing-byte-token"
        case .vocabularyTooSmall: "tokenizer.vocabulary-too-small"
        case .unknownID: "tokenizer.unknown-id"
        case .unwritable: "tokenizer.unwritable"
        }
    }

    /// What is wrong and what to do, naming the file and key.
    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            "\(path): cannot read the tokenizer file (\(reason)); check the path, or train one with the tokenize stage"
        case let .malformed(path, key, reason):
            "\(path): \(key): \(reason); the file must be a Hugging Face tokenizer.json"
        case let .unsupported(path, key, value):
            "\(path): \(key) '\(value)' is not supported; supported are a BPE model, normalizer NFC or none, "
                + "pre_tokenizer ByteLevel or Sequence[Split(regex, Isolated), ByteLevel], decoder ByteLevel"
        case let .invalidMerge(path, index, merge):
            "\(path): model.merges[\(index)] '\(merge)' names a token that is not in model.vocab, "
                + "or its concatenation is not; the merges and vocab do not belong together"
        case let .missingByteToken(path, byte):
            "\(path): model.vocab has no token for byte 0x\(String(byte, radix: 16)) and model.unk_token is null; "
                + "a byte-level BPE needs all 256 byte tokens"
        case let .vocabularyTooSmall(requested, minimum):
            "vocab_size \(requested) is smaller than the 256 byte tokens plus the special tokens (\(minimum)); "
                + "raise tokenize.vocab_size"
        case let .unknownID(id):
            "token id \(id) is not in the vocabulary; decode ids produced by the same tokenizer.json"
        case let .unwritable(path, reason):
            "\(path): cannot write the tokenizer file (\(reason)); check the directory exists and is writable"
        }
    }
}
