/// Reading and writing an NF4 weight as the tensors bitsandbytes' `Linear4bit` puts in a state dict.
///
/// For a linear at `prefix` (e.g. `model.layers.0.self_attn.q_proj`):
/// - `prefix.weight` U8 `[(n+1)/2, 1]`: the packed codes;
/// - `prefix.weight.absmax`: F32 per block, or U8 codes when double-quantized;
/// - `prefix.weight.quant_map` F32 `[16]`: the NF4 codebook;
/// - `prefix.weight.nested_absmax` F32 and `prefix.weight.nested_quant_map` F32 `[256]` when double-quantized;
/// - `prefix.weight.quant_state.bitsandbytes__nf4` U8: the JSON of `NF4QuantState`.
extension NF4Weight {
    /// The quant state describing this weight.
    public var quantState: NF4QuantState {
        var nested: (blocksize: Int, dtype: String, offset: Float)?
        if case .doubleQuantized(let inner) = absmax {
            nested = (inner.quantized.blocksize, "float32", inner.offset)
        }
        return NF4QuantState(blocksize: blocksize, dtype: dtype, shape: [rows, cols], nested: nested)
    }

    /// The bitsandbytes state-dict tensors for the linear at `prefix`.
    public func safetensorsEntries(prefix: String) -> [String: SafeTensorsEntry] {
        let weight = prefix + ".weight"
        var entries: [String: SafeTensorsEntry] = [
            weight: .uint8(packed, shape: [packed.count, 1]),
            weight + ".quant_map": .float32(NF4Codebook.values, shape: [16]),
        ]
        switch absmax {
        case .float32(let values):
            entries[weight + ".absmax"] = .float32(values, shape: [values.count])
        case .doubleQuantized(let nested):
            entries[weight + ".absmax"] = .uint8(nested.quantized.codes, shape: [nested.quantized.codes.count])
            entries[weight + ".nested_absmax"] = .float32(nested.quantized.absmax,
                                                          shape: [nested.quantized.absmax.count])
            entries[weight + ".nested_quant_map"] = .float32(nested.quantized.map, shape: [256])
        }
        let state = quantState.encoded()
        entries[weight + "." + NF4QuantState.keySuffix] = .uint8(state, shape: [state.count])
        return entries
    }

    /// Whether `source` holds a bitsandbytes NF4 weight for the linear at `prefix`.
    public static func isStored(in source: some SafeTensorsReading, prefix: String) -> Bool {
        source.contains(prefix + ".weight." + NF4QuantState.keySuffix)
    }

    /// Reads the linear at `prefix` back from its bitsandbytes tensors, checking every size against the quant state.
    public static func load(from source: some SafeTensorsReading, prefix: String) throws -> NF4Weight {
        let weight = prefix + ".weight"
        let stateKey = weight + "." + NF4QuantState.keySuffix
        let path = source.sourcePath
        func fail(_ message: String) -> SafeTensorsError {
            SafeTensorsError(.invalidQuantState, path: path, "\(weight): \(message)")
        }
        guard source.contains(stateKey) else { throw fail("no '\(stateKey)' tensor; this weight is not bitsandbytes NF4") }
        let state = try NF4QuantState.decode(try source.bytes(stateKey), path: path, key: stateKey)
        let rows = state.shape[0], cols = state.shape[1]
        let (count, overflow) = rows.multipliedReportingOverflow(by: cols)
        guard !overflow, count < Int.max / 2 else { throw fail("quant_state shape \(state.shape) is too large") }
        let blocks = (count + state.blocksize - 1) / state.blocksize

        let packedInfo = try source.info(weight)
        guard packedInfo.dtype == .u8, packedInfo.elementCount == (count + 1) / 2 else {
            throw fail("packed weight is \(packedInfo.dtype.rawValue) \(packedInfo.shape), expected U8 with \((count + 1) / 2) bytes for shape \(state.shape)")
        }
        let packed = try source.bytes(weight)
        let quantMap = try source.floats(weight + ".quant_map")
        guard quantMap.count == 16, zip(quantMap, NF4Codebook.values).allSatisfy({ abs($0 - $1) <= 1e-7 }) else {
            throw fail("quant_map is not the NF4 codebook")
        }
        let absmaxInfo = try source.info(weight + ".absmax")
        guard absmaxInfo.elementCount == blocks else {
            throw fail("absmax has \(absmaxInfo.elementCount) values, expected \(blocks) (one per block of \(state.blocksize))")
        }
        let absmax: NF4Absmax
        if let nested = state.nested {
            guard absmaxInfo.dtype == .u8 else { throw fail("double-quantized absmax must be U8, found \(absmaxInfo.dtype.rawValue)") }
            let nestedAbsmax = try source.floats(weight + ".nested_absmax")
            let nestedMap = try source.floats(weight + ".nested_quant_map")
            guard nestedMap.count == 256 else { throw fail("nested_quant_map has \(nestedMap.count) values, expected 256") }
            guard nestedAbsmax.count == (blocks + nested.blocksize - 1) / nested.blocksize else {
                throw fail("nested_absmax has \(nestedAbsmax.count) values, expected one per \(nested.blocksize) absmax")
            }
            let quantized = Blockwise8BitQuantization(codes: try source.bytes(weight + ".absmax"), absmax: nestedAbsmax,
                                                      map: nestedMap, blocksize: nested.blocksize)
            absmax = .doubleQuantized(NF4DoubleQuantizedAbsmax(quantized: quantized, offset: nested.offset))
        } else {
            guard absmaxInfo.dtype.isFloatingPoint else { throw fail("absmax must be F32, found \(absmaxInfo.dtype.rawValue)") }
            absmax = .float32(try source.floats(weight + ".absmax"))
        }
        return NF4Weight(rows: rows, cols: cols, blocksize: state.blocksize, packed: packed, absmax: absmax,
                         dtype: state.dtype)
    }
}
