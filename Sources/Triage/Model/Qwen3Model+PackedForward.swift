import Tensors

/// The ragged-batch forward pass used for serving: several sequences of different lengths, each at its own
/// positions with its own KV cache, run through the decoder together.
///
/// Every projection, norm and MLP treats the tokens of all sequences as the rows of one [N, hidden] matrix, so a
/// batch of B requests costs one matrix product per weight instead of B matrix-vector products (the weights are
/// read from memory once per step, which is what bounds a small model on a CPU). Attention is the one operation
/// that must not mix sequences; it runs per sequence over that sequence's cached keys and values. The result
/// equals running each sequence alone through `forward(_:batch:positions:cache:)` up to float rounding.
extension Qwen3Model {
    /// Runs `sequences` (each with a distinct cache) one step; returns, per sequence, the logits [rows, vocab] of
    /// its `logitRows`, in order. No graph is recorded; each cache advances by its sequence's token count.
    public func packedForward(_ sequences: [Qwen3PackedSequence]) -> [Tensor] {
        precondition(!sequences.isEmpty, "a packed batch needs at least one sequence")
        precondition(Set(sequences.map { ObjectIdentifier($0.cache) }).count == sequences.count,
                     "each sequence of a packed batch needs its own cache")
        setTraining(false)
        return Variable.withoutGradients {
            var flat: [Int] = [], positions: [Int] = [], segments: [PackedSegment] = []
            for sequence in sequences {
                segments.append(PackedSegment(offset: flat.count, count: sequence.tokens.count, cache: sequence.cache))
                flat += sequence.tokens
                positions += Array(sequence.cache.length..<(sequence.cache.length + sequence.tokens.count))
            }
            var h = Variable.embedding(flat, table: embedTokens)
            for (index, layer) in layers.enumerated() {
                h = layer.packed(h, segments: segments, positions: positions, layer: index, eps: config.rmsNormEps)
            }
            for segment in segments { segment.cache.advance(by: segment.count) }
            // The LM head only over the wanted rows: one gather, one product.
            let wanted = zip(sequences, segments).flatMap { sequence, segment in sequence.logitRows.map { segment.offset + $0 } }
            let picked = Variable.embedding(wanted, table: h)
            let logits = lmHead(picked.rmsNorm(weight: norm, eps: config.rmsNormEps)).value
            let vocab = config.vocabSize
            var out: [Tensor] = [], row = 0
            for sequence in sequences {
                let rows = sequence.logitRows.count
                out.append(Tensor(shape: [rows, vocab], scalars: Array(logits.scalars[(row * vocab)..<((row + rows) * vocab)])))
                row += rows
            }
            return out
        }
    }
}

/// Where one sequence's rows sit in a packed [N, …] matrix, and its cache.
struct PackedSegment {
    let offset: Int
    let count: Int
    let cache: Qwen3KVCache
}

extension Qwen3DecoderLayer {
    /// The layer over packed rows x [N, hidden] → [N, hidden]; attention per segment.
    func packed(_ x: Variable, segments: [PackedSegment], positions: [Int], layer: Int, eps: Float) -> Variable {
        let h = x + selfAttention.packed(x.rmsNorm(weight: inputLayerNorm, eps: eps), segments: segments,
                                         positions: positions, layer: layer)
        return h + mlp(h.rmsNorm(weight: postAttentionLayerNorm, eps: eps))
    }
}

extension Qwen3Attention {
    /// Attention over packed rows: projections, QK-norm and RoPE (at each row's own position) on all rows at once,
    /// then causal attention of each segment against its cache, then one output projection.
    func packed(_ x: Variable, segments: [PackedSegment], positions: [Int], layer: Int) -> Variable {
        let n = positions.count
        let (heads, kvHeads, d) = (config.numAttentionHeads, config.numKeyValueHeads, config.headDim)
        let eps = config.rmsNormEps, theta = config.ropeTheta
        // One "sequence" of N tokens whose positions are each row's own: RoPE and the norms are per row.
        let q = qProj(x).reshaped([1, n, heads, d]).rmsNorm(weight: qNorm, eps: eps)
            .rotaryEmbedding(positions: positions, theta: theta).value
        let k = kProj(x).reshaped([1, n, kvHeads, d]).rmsNorm(weight: kNorm, eps: eps)
            .rotaryEmbedding(positions: positions, theta: theta).value
        let v = vProj(x).reshaped([1, n, kvHeads, d]).value
        var attended = [Float]()
        attended.reserveCapacity(n * heads * d)
        for segment in segments {
            let rows = segment.offset..<(segment.offset + segment.count)
            let all = segment.cache.append(layer: layer, keys: Self.rows(k, rows, width: kvHeads, d),
                                           values: Self.rows(v, rows, width: kvHeads, d))
            let out = Variable.causalAttention(query: Variable(Self.rows(q, rows, width: heads, d)),
                                               key: Variable(all.keys), value: Variable(all.values))
            attended += out.value.scalars
        }
        return oProj(Variable(Tensor(shape: [n, heads * d], scalars: attended)))
    }

    /// Rows `range` of a [1, N, width, d] tensor as [1, rows, width, d].
    static func rows(_ t: Tensor, _ range: Range<Int>, width: Int, _ d: Int) -> Tensor {
        let stride = width * d
        return Tensor(shape: [1, range.count, width, d],
                      scalars: Array(t.scalars[(range.lowerBound * stride)..<(range.upperBound * stride)]))
    }
}
