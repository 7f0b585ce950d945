import PipeBasics
/// Why a safetensors file or checkpoint could not be read or written, naming the file and what to do.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A stable code tests and callers can match.
    public enum Code: String, Sendable {
        /// The file could not be opened, sized or mapped.
        case unreadable
        /// Fewer than 8 bytes, or the header length runs past the end of the file.
        case truncatedHeader
        /// The header length is over the 100 MB limit safetensors enforces (a corrupt length).
        case headerTooLarge
        /// The header is not a UTF-8 JSON object.
        case invalidHeaderJSON
        /// A tensor entry lacks `dtype`, `shape` or `data_offsets`, or they have the wrong form.
        case invalidTensorEntry
        /// The dtype name is unknown, or this operation cannot convert it.
        case unsupportedDType
        /// Tensor data ranges overlap, leave gaps, or do not start at 0.
        case invalidOffsets
        /// A tensor's byte range does not equal its shape × dtype size.
        case sizeMismatch
        /// The data section is shorter or longer than the tensors declare (truncated or padded file).
        case dataLengthMismatch
        /// A requested tensor is not in the file or checkpoint.
        case missingTensor
        /// `model.safetensors.index.json` is malformed or points at a missing shard or tensor.
        case invalidIndex
        /// A bitsandbytes 4-bit weight's tensors or `quant_state` JSON are missing, malformed or inconsistent.
        case invalidQuantState
        /// Writing the file failed.
        case writeFailed
    }

    /// What went wrong, for matching.
    public let code: Code
    /// The file concerned.
    public let path: String
    /// What is wrong and what to do, for people.
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

extension SafeTensorsError {
    /// Runs an atomic write of `path`, turning a failed write into `.writeFailed` naming it (what `quantize` maps
    /// to exit code 1).
    static func writing(_ path: String, _ body: () throws -> Void) throws {
        do { try body() } catch let error as AtomicWriteError {
            throw SafeTensorsError(.writeFailed, path: path, "\(error.step.rawValue) it: \(error.cause)")
        }
    }
}
