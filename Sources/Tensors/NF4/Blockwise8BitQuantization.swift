/// Blockwise 8-bit quantization with a 256-entry code, as bitsandbytes' `quantize_blockwise`/`dequantize_blockwise`.
///
/// Each block of `blocksize` consecutive values keeps its absmax in Float32; values are multiplied by the block's
/// reciprocal absmax and mapped to the nearest code entry. NF4 double quantization uses it on the (offset-removed)
/// absmax with blocks of 256 and the signed dynamic map.
public struct Blockwise8BitQuantization: Sendable, Equatable {
    /// One code index per input value.
    public let codes: [UInt8]
    /// One absmax per block of `blocksize` values (the last block may be partial).
    public let absmax: [Float]
    /// The 256-entry code the indices refer to.
    public let map: [Float]
    /// Values per block.
    public let blocksize: Int

    /// Wraps already quantized parts (e.g. read from a checkpoint); the counts must agree.
    public init(codes: [UInt8], absmax: [Float], map: [Float], blocksize: Int) {
        precondition(map.count == 256, "an 8-bit code has 256 entries")
        precondition(blocksize > 0 && absmax.count == (codes.count + blocksize - 1) / blocksize,
                     "absmax count must be ceil(codes / blocksize)")
        self.codes = codes
        self.absmax = absmax
        self.map = map
        self.blocksize = blocksize
    }

    /// Quantizes `values` blockwise with `map` (default: the signed dynamic map).
    public static func quantize(_ values: [Float], blocksize: Int = 256,
                                map: [Float] = DynamicQuantizationMap.signed) -> Blockwise8BitQuantization {
        precondition(blocksize > 0)
        let blocks = (values.count + blocksize - 1) / blocksize
        var absmax = [Float](repeating: 0, count: blocks)
        var codes = [UInt8](repeating: 0, count: values.count)
        map.withUnsafeBufferPointer { mapBuffer in
            for block in 0..<blocks {
                let range = (block * blocksize)..<min(values.count, (block + 1) * blocksize)
                var blockMax: Float = 0
                for index in range { blockMax = Swift.max(blockMax, abs(values[index])) }
                absmax[block] = blockMax
                let reciprocal = 1 / blockMax
                for index in range {
                    codes[index] = DynamicQuantizationMap.code(for: values[index] * reciprocal, in: mapBuffer)
                }
            }
        }
        return Blockwise8BitQuantization(codes: codes, absmax: absmax, map: map, blocksize: blocksize)
    }

    /// `map[code] · absmax[block]` for every value.
    public func dequantize() -> [Float] {
        (0..<codes.count).map { map[Int(codes[$0])] * absmax[$0 / blocksize] }
    }
}
