import Dispatch

/// A `[rows, cols]` weight quantized to NF4 exactly as bitsandbytes' `quantize_4bit(quant_type="nf4")` does.
///
/// The weight is flattened row-major and cut into blocks of `blocksize` values (the last may be partial, and blocks
/// may straddle rows). Each block keeps its absmax; each value becomes the 4-bit code of `value · (1/absmax)`.
/// Codes are packed two per byte, the even-indexed value in the high nibble (`packed` is the U8 `weight` tensor of a
/// bitsandbytes checkpoint, `(n+1)/2` bytes). The kernels in `NF4Weight+Linear.swift` compute with it without ever
/// materialising the whole Float32 weight.
public struct NF4Weight: Sendable {
    /// Output features (the weight's first dimension).
    public let rows: Int
    /// Input features (the weight's second dimension).
    public let cols: Int
    /// Values per absmax block (32…4096, a power of two).
    public let blocksize: Int
    /// Two codes per byte, even index in the high nibble; `(rows·cols + 1) / 2` bytes.
    public let packed: [UInt8]
    /// The per-block absmax as stored (plain or double-quantized).
    public let absmax: NF4Absmax
    /// The dtype the weight had before quantization (`"float32"`, `"bfloat16"`, `"float16"`): the `dtype` of the
    /// bitsandbytes quant state, i.e. what dequantization gives back.
    public let dtype: String
    /// The absmax decoded to one Float32 per block, what the kernels multiply by.
    public let blockScales: [Float]

    /// The blocksizes bitsandbytes accepts.
    public static let supportedBlocksizes: Set<Int> = [32, 64, 128, 256, 512, 1024, 2048, 4096]

    /// Number of values (`rows · cols`).
    public var count: Int { rows * cols }

    /// Assembles a weight from stored parts (e.g. read from a checkpoint), checking that the sizes agree.
    public init(rows: Int, cols: Int, blocksize: Int, packed: [UInt8], absmax: NF4Absmax, dtype: String = "float32") {
        precondition(rows >= 0 && cols >= 0, "NF4Weight shape must be non-negative")
        precondition(Self.supportedBlocksizes.contains(blocksize), "NF4 blocksize must be a power of two in 32…4096")
        precondition(packed.count == (rows * cols + 1) / 2, "NF4Weight needs (rows·cols+1)/2 packed bytes")
        let scales = absmax.decoded()
        precondition(scales.count == (rows * cols + blocksize - 1) / blocksize,
                     "NF4Weight needs one absmax per block of \(blocksize)")
        self.rows = rows
        self.cols = cols
        self.blocksize = blocksize
        self.packed = packed
        self.absmax = absmax
        self.dtype = dtype
        self.blockScales = scales
    }

    /// Quantizes a row-major `[rows, cols]` weight (bitsandbytes `quantize_4bit`, quant_type nf4).
    ///
    /// - Parameters:
    ///   - blocksize: values per absmax block, a power of two in 32…4096 (bitsandbytes' default 64).
    ///   - doubleQuant: quantize the absmax again (8-bit, blocks of 256, offset = mean), as
    ///     `bnb_4bit_use_double_quant` / QLoRA do.
    public static func quantize(_ w: [Float], rows: Int, cols: Int, blocksize: Int = 64,
                                doubleQuant: Bool = true) -> NF4Weight {
        quantize(w, rows: rows, cols: cols, blocksize: blocksize, doubleQuant: doubleQuant, dtype: "float32")
    }

    /// As `quantize(_:rows:cols:blocksize:doubleQuant:)`, recording the source dtype for the quant state.
    public static func quantize(_ w: [Float], rows: Int, cols: Int, blocksize: Int, doubleQuant: Bool,
                                dtype: String) -> NF4Weight {
        precondition(w.count == rows * cols, "NF4Weight.quantize: \(w.count) values for a \(rows)×\(cols) weight")
        precondition(supportedBlocksizes.contains(blocksize), "NF4 blocksize must be a power of two in 32…4096")
        let count = w.count
        let blocks = (count + blocksize - 1) / blocksize
        var absmax = [Float](repeating: 0, count: blocks)
        var packed = [UInt8](repeating: 0, count: (count + 1) / 2)
        w.withUnsafeBufferPointer { source in
            absmax.withUnsafeMutableBufferPointer { absmaxOut in
                packed.withUnsafeMutableBufferPointer { packedOut in
                    nonisolated(unsafe) let source = source, absmaxOut = absmaxOut, packedOut = packedOut
                    let chunks = ParallelChunks(count: blocks, minimumPerChunk: 256)
                    chunks.run { blockRange in
                        for block in blockRange {
                            quantizeBlock(block, blocksize: blocksize, source: source,
                                          absmax: absmaxOut, packed: packedOut)
                        }
                    }
                }
            }
        }
        let stored: NF4Absmax = doubleQuant ? .doubleQuantized(.quantize(absmax: absmax)) : .float32(absmax)
        return NF4Weight(rows: rows, cols: cols, blocksize: blocksize, packed: packed, absmax: stored, dtype: dtype)
    }

    /// One block of `kQuantizeBlockwise<NF4>`: absmax, reciprocal, codes; a missing odd tail value is the kernel's
    /// zero padding, so its nibble is `code(0 · reciprocal)`.
    private static func quantizeBlock(_ block: Int, blocksize: Int, source: UnsafeBufferPointer<Float>,
                                      absmax: UnsafeMutableBufferPointer<Float>,
                                      packed: UnsafeMutableBufferPointer<UInt8>) {
        let start = block * blocksize
        let end = Swift.min(source.count, start + blocksize)
        var blockMax: Float = 0
        for index in start..<end { blockMax = Swift.max(blockMax, abs(source[index])) }
        absmax[block] = blockMax
        let reciprocal = 1 / blockMax
        var index = start
        let midpoints = NF4Codebook.midpointTable
        while index < end {
            let high = NF4Codebook.branchFreeCode(for: source[index] * reciprocal, midpoints: midpoints)
            let lowValue: Float = index + 1 < end ? source[index + 1] : 0
            let low = NF4Codebook.branchFreeCode(for: lowValue * reciprocal, midpoints: midpoints)
            packed[index >> 1] = high << 4 | low
            index += 2
        }
    }

    /// The 4-bit code of value `index` (row-major), high nibble for even indices.
    @inlinable
    public func code(at index: Int) -> UInt8 {
        let byte = packed[index >> 1]
        return index & 1 == 0 ? byte >> 4 : byte & 0xF
    }

    /// The whole weight in Float32, row-major (`dequantize_4bit`): `codebook[code] · absmax[block]`.
    public func dequantize() -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            nonisolated(unsafe) let output = buffer
            ParallelChunks(count: rows, minimumPerChunk: 64).run { rowRange in
                guard !rowRange.isEmpty else { return }
                decode(elements: (rowRange.lowerBound * cols)..<(rowRange.upperBound * cols),
                       into: output.baseAddress! + rowRange.lowerBound * cols)
            }
            initialized = count
        }
    }

    /// Decodes values `elements` (row-major indices) into `output`, block by block.
    ///
    /// What the panel kernels call: bytes decode through `NF4Codebook.bytePairs`, two floats per load.
    @inlinable
    public func decode(elements: Range<Int>, into output: UnsafeMutablePointer<Float>) {
        packed.withUnsafeBufferPointer { bytes in
            blockScales.withUnsafeBufferPointer { scales in
                NF4Codebook.bytePairs.withUnsafeBufferPointer { pairs in
                    var index = elements.lowerBound
                    var out = output
                    while index < elements.upperBound {
                        let block = index / blocksize
                        let segmentEnd = Swift.min(elements.upperBound, (block + 1) * blocksize)
                        let scale = scales[block]
                        if index & 1 == 1 {
                            out.pointee = NF4Codebook.values[Int(bytes[index >> 1] & 0xF)] * scale
                            out += 1
                            index += 1
                        }
                        let pairCount = (segmentEnd - index) >> 1
                        let scale2 = SIMD2(repeating: scale)
                        let raw = UnsafeMutableRawPointer(out)
                        var byteIndex = index >> 1
                        for pair in 0..<pairCount {
                            raw.storeBytes(of: pairs[Int(bytes[byteIndex])] * scale2,
                                           toByteOffset: pair * 8, as: SIMD2<Float>.self)
                            byteIndex += 1
                        }
                        out += pairCount * 2
                        index += pairCount * 2
                        if index < segmentEnd {
                            out.pointee = NF4Codebook.values[Int(bytes[index >> 1] >> 4)] * scale
                            out += 1
                            index += 1
                        }
                    }
                }
            }
        }
    }
}
