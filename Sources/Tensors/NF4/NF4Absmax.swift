/// The per-block absmax of an NF4 weight, either stored in Float32 or double-quantized as bitsandbytes does.
public enum NF4Absmax: Sendable, Equatable {
    /// One Float32 absmax per block (`bnb_4bit_use_double_quant: false`).
    case float32([Float])
    /// The absmax minus its mean, 8-bit quantized in blocks of 256 with the signed dynamic map
    /// (`bnb_4bit_use_double_quant: true`, QLoRA's "double quantization").
    case doubleQuantized(NF4DoubleQuantizedAbsmax)

    /// The absmax as the kernels use it: one Float32 per block.
    public func decoded() -> [Float] {
        switch self {
        case .float32(let values): return values
        case .doubleQuantized(let nested): return nested.decoded()
        }
    }

    /// Whether the absmax is double-quantized.
    public var isDoubleQuantized: Bool {
        if case .doubleQuantized = self { return true }
        return false
    }
}

/// Double-quantized absmax: bitsandbytes' `QuantState` with a nested `state2` and an `offset`.
public struct NF4DoubleQuantizedAbsmax: Sendable, Equatable {
    /// The 8-bit codes of `absmax − offset` (`weight.absmax`, U8), their Float32 block absmax
    /// (`weight.nested_absmax`), the 256-entry map (`weight.nested_quant_map`) and the nested blocksize (256).
    public let quantized: Blockwise8BitQuantization
    /// The mean of the absmax, subtracted before quantizing and added back after (`nested_offset`).
    public let offset: Float

    /// Wraps the parts read from a checkpoint or produced by `quantize(absmax:)`.
    public init(quantized: Blockwise8BitQuantization, offset: Float) {
        self.quantized = quantized
        self.offset = offset
    }

    /// Double-quantizes `absmax` as `quantize_4bit(compress_statistics=True)`: offset = mean, then blockwise 8-bit
    /// quantization of `absmax − offset` with blocks of 256.
    public static func quantize(absmax: [Float], nestedBlocksize: Int = 256) -> NF4DoubleQuantizedAbsmax {
        var sum = 0.0
        for value in absmax { sum += Double(value) }
        let offset = absmax.isEmpty ? 0 : Float(sum / Double(absmax.count))
        let centred = absmax.map { $0 - offset }
        return NF4DoubleQuantizedAbsmax(quantized: .quantize(centred, blocksize: nestedBlocksize), offset: offset)
    }

    /// `dequantize_blockwise(absmax, state2) + offset`, one Float32 per NF4 block.
    public func decoded() -> [Float] {
        quantized.dequantize().map { $0 + offset }
    }
}
