/// Why a checkpoint could not be converted to or from the bitsandbytes NF4 layout.
public struct NF4ConversionError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A stable code callers and tests match.
    public enum Code: String, Sendable {
        /// The input has no `config.json`, or it is not a JSON object.
        case invalidConfig
        /// Quantizing a checkpoint whose `config.json` already has a `quantization_config`.
        case alreadyQuantized
        /// Dequantizing a checkpoint that holds no NF4 weights.
        case notQuantized
        /// Input and output are the same directory (the output would overwrite what is being read).
        case sameDirectory
        /// A tensor chosen for quantization is not floating point.
        case unsupportedTensor
        /// The output directory could not be created or a file could not be copied.
        case outputFailed
    }

    /// What went wrong, for matching.
    public let code: Code
    /// The file or directory concerned.
    public let path: String
    /// What is wrong and what to do.
    public let message: String

    /// Makes an error about `path`.
    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}
