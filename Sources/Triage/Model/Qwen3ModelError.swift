/// Why a Qwen3 configuration, checkpoint or adapter could not be used; each case names the file or key and says
/// what to do.
public enum Qwen3ModelError: Error, Equatable, CustomStringConvertible {
    /// `config.json` has a missing, mistyped or out-of-range key.
    case invalidConfig(file: String, key: String, problem: String)
    /// The configuration asks for a feature this decoder does not implement.
    case unsupportedConfig(file: String, key: String, problem: String)
    /// A weight the configuration requires is absent from the checkpoint.
    case missingWeight(name: String, source: String)
    /// A weight has a different shape from the one the configuration implies.
    case weightShapeMismatch(name: String, expected: [Int], found: [Int], source: String)
    /// An adapter file is malformed or does not fit the model.
    case invalidAdapter(file: String, problem: String)

    /// A stable code tests can match.
    public var code: String {
        switch self {
        case .invalidConfig: "qwen3.invalid-config"
        case .unsupportedConfig: "qwen3.unsupported-config"
        case .missingWeight: "qwen3.missing-weight"
        case .weightShapeMismatch: "qwen3.weight-shape"
        case .invalidAdapter: "qwen3.invalid-adapter"
        }
    }

    /// The message people read: what is wrong, where, and what to do.
    public var description: String {
        switch self {
        case let .invalidConfig(file, key, problem):
            "\(file): key `\(key)`: \(problem). Fix config.json (it must be a Hugging Face Qwen3 config)."
        case let .unsupportedConfig(file, key, problem):
            "\(file): key `\(key)`: \(problem). This decoder implements plain Qwen3; use a checkpoint without it."
        case let .missingWeight(name, source):
            "\(source): weight `\(name)` is missing. Is this a Qwen3 checkpoint matching its config.json?"
        case let .weightShapeMismatch(name, expected, found, source):
            "\(source): weight `\(name)` has shape \(found) but config.json implies \(expected). "
                + "Check that config.json belongs to these weights."
        case let .invalidAdapter(file, problem):
            "\(file): \(problem). Re-save the adapter with PEFT or this library."
        }
    }
}
