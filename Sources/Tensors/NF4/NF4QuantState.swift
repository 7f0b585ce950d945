import Foundation
import PipeBasics

/// The non-tensor part of a bitsandbytes 4-bit `QuantState`, stored in a checkpoint as the U8 tensor
/// `<prefix>.weight.quant_state.bitsandbytes__nf4` holding JSON.
///
/// bitsandbytes writes it with `json.dumps` of `QuantState.as_dict(packed=True)`'s non-tensor items, in this key
/// order: `quant_type`, `blocksize`, `dtype`, `shape`, and when double-quantized `nested_blocksize`, `nested_dtype`,
/// `nested_offset`. `encoded()` reproduces those bytes (Python's `", "`/`": "` separators and float `repr`).
public struct NF4QuantState: Sendable, Equatable {
    /// The tensor-name suffix under `<prefix>.weight.`.
    public static let keySuffix = "quant_state.bitsandbytes__nf4"

    /// `"nf4"` (the only 4-bit type this library computes with).
    public var quantType: String
    /// Values per absmax block.
    public var blocksize: Int
    /// The PyTorch dtype the weight had (`"bfloat16"`, `"float16"`, `"float32"`).
    public var dtype: String
    /// The weight's shape, `[out_features, in_features]`.
    public var shape: [Int]
    /// Nested (double-quantization) parameters, if any: blocksize (256), absmax dtype (`"float32"`) and offset.
    public var nested: (blocksize: Int, dtype: String, offset: Float)?

    /// Makes a state.
    public init(quantType: String = "nf4", blocksize: Int, dtype: String, shape: [Int],
                nested: (blocksize: Int, dtype: String, offset: Float)?) {
        self.quantType = quantType
        self.blocksize = blocksize
        self.dtype = dtype
        self.shape = shape
        self.nested = nested
    }

    /// Field-wise equality (tuples are not Equatable).
    public static func == (left: NF4QuantState, right: NF4QuantState) -> Bool {
        left.quantType == right.quantType && left.blocksize == right.blocksize && left.dtype == right.dtype
            && left.shape == right.shape && left.nested?.blocksize == right.nested?.blocksize
            && left.nested?.dtype == right.nested?.dtype && left.nested?.offset == right.nested?.offset
    }

    /// The JSON bytes bitsandbytes' `pack_dict_to_tensor` stores.
    public func encoded() -> [UInt8] {
        var fields: [(String, JSONValue)] = [("quant_type", .string(quantType)), ("blocksize", .int(blocksize)),
                                             ("dtype", .string(dtype)), ("shape", .array(shape.map { .int($0) }))]
        if let nested {
            // Python's repr of the float64 holding the Float32 offset (`offset.item()`); Swift's shortest text matches.
            fields += [("nested_blocksize", .int(nested.blocksize)), ("nested_dtype", .string(nested.dtype)),
                       ("nested_offset", .double(Double(nested.offset)))]
        }
        return Array(JSONValue.object(fields).text(JSONFormat(layout: .spaced)).utf8)
    }

    /// Parses the stored JSON; `path` and `key` name the tensor in errors.
    public static func decode(_ bytes: [UInt8], path: String, key: String) throws -> NF4QuantState {
        func fail(_ message: String) -> SafeTensorsError {
            SafeTensorsError(.invalidQuantState, path: path, "\(key): \(message)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw fail("not a JSON object")
        }
        guard let quantType = object["quant_type"] as? String else { throw fail("missing string 'quant_type'") }
        guard quantType == "nf4" else { throw fail("quant_type '\(quantType)' is not supported; only nf4 is") }
        guard let blocksize = object["blocksize"] as? Int, NF4Weight.supportedBlocksizes.contains(blocksize) else {
            throw fail("'blocksize' must be a power of two in 32…4096")
        }
        guard let dtype = object["dtype"] as? String else { throw fail("missing string 'dtype'") }
        guard let shapeValues = object["shape"] as? [Any], shapeValues.count == 2,
              let rows = shapeValues[0] as? Int, let cols = shapeValues[1] as? Int, rows >= 0, cols >= 0 else {
            throw fail("'shape' must be [out_features, in_features]")
        }
        var nested: (blocksize: Int, dtype: String, offset: Float)?
        if object["nested_blocksize"] != nil || object["nested_offset"] != nil {
            guard let nestedBlocksize = object["nested_blocksize"] as? Int, nestedBlocksize > 0 else {
                throw fail("'nested_blocksize' must be a positive integer")
            }
            guard let offset = object["nested_offset"] as? Double else { throw fail("'nested_offset' must be a number") }
            let nestedDType = object["nested_dtype"] as? String ?? "float32"
            guard nestedDType == "float32" else { throw fail("nested_dtype '\(nestedDType)' is not supported") }
            nested = (nestedBlocksize, nestedDType, Float(offset))
        }
        return NF4QuantState(quantType: quantType, blocksize: blocksize, dtype: dtype, shape: [rows, cols],
                             nested: nested)
    }
}
