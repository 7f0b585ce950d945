import Foundation

/// Causal scaled-dot-product self-attention with grouped-query heads, on [B, T, heads, head_dim] layouts.
extension Variable {
    /// softmax(q·kᵀ/√D + causal mask) · v per head, query head h reading key/value head h / (Hq/Hkv).
    ///
    /// q is [B, Tq, Hq, D]; k and v are [B, Tk, Hkv, D] with Tk ≥ Tq: the queries are the last Tq positions of
    /// the Tk keys (Tk > Tq when keys come from a KV cache), and query i sees keys 0…(Tk − Tq + i).
    /// Heads are read in place with strided BLAS calls, never transposed into copies.
    public static func causalAttention(query q: Variable, key k: Variable, value v: Variable) -> Variable {
        precondition(q.shape.count == 4 && k.shape.count == 4 && k.shape == v.shape,
                     "causalAttention needs q [B,Tq,Hq,D] and k, v [B,Tk,Hkv,D], got \(q.shape), \(k.shape), \(v.shape)")
        let (batch, tq, hq, d) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
        let (tk, hkv) = (k.shape[1], k.shape[2])
        precondition(k.shape[0] == batch && k.shape[3] == d && hkv > 0 && hq % hkv == 0 && tk >= tq,
                     "causalAttention: incompatible q \(q.shape) and k \(k.shape)")
        let layout = AttentionLayout(batch: batch, queryLength: tq, keyLength: tk, queryHeads: hq,
                                     keyValueHeads: hkv, headDim: d)
        var out = Tensor.zeros(q.shape)
        var probabilities = Tensor.zeros([batch, hq, tq, tk])
        q.value.withUnsafeBufferPointer { qp in
            k.value.withUnsafeBufferPointer { kp in
                v.value.withUnsafeBufferPointer { vp in
                    out.withUnsafeMutableBufferPointer { op in
                        probabilities.withUnsafeMutableBufferPointer { pp in
                            layout.forward(q: qp.baseAddress!, k: kp.baseAddress!, v: vp.baseAddress!,
                                           probabilities: pp.baseAddress!, out: op.baseAddress!)
                        }
                    }
                }
            }
        }
        return result(out, parents: [q, k, v]) { g in
            var dq = Tensor.zeros(q.shape), dk = Tensor.zeros(k.shape), dv = Tensor.zeros(v.shape)
            g.withUnsafeBufferPointer { gp in
                q.value.withUnsafeBufferPointer { qp in
                    k.value.withUnsafeBufferPointer { kp in
                        v.value.withUnsafeBufferPointer { vp in
                            probabilities.withUnsafeBufferPointer { pp in
                                dq.withUnsafeMutableBufferPointer { dqp in
                                    dk.withUnsafeMutableBufferPointer { dkp in
                                        dv.withUnsafeMutableBufferPointer { dvp in
                                            layout.backward(dOut: gp.baseAddress!, q: qp.baseAddress!,
                                                            k: kp.baseAddress!, v: vp.baseAddress!,
                                                            probabilities: pp.baseAddress!, dq: dqp.baseAddress!,
                                                            dk: dkp.baseAddress!, dv: dvp.baseAddress!)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            q.accumulate(dq)
            k.accumulate(dk)
            v.accumulate(dv)
        }
    }
}

/// Strides and kernels of one attention call; see `Variable.causalAttention`.
struct AttentionLayout {
    let batch: Int, queryLength: Int, keyLength: Int, queryHeads: Int, keyValueHeads: Int, headDim: Int

    var scale: Float { 1 / Float(headDim).squareRoot() }
    var queryRowStride: Int { queryHeads * headDim }
    var keyRowStride: Int { keyValueHeads * headDim }
    var offset: Int { keyLength - queryLength }

    func queryBase(_ b: Int, _ h: Int) -> Int { b * queryLength * queryRowStride + h * headDim }
    func keyBase(_ b: Int, _ h: Int) -> Int {
        b * keyLength * keyRowStride + (h / (queryHeads / keyValueHeads)) * headDim
    }
    func probabilityBase(_ b: Int, _ h: Int) -> Int { (b * queryHeads + h) * queryLength * keyLength }

    func forward(q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                 probabilities: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
        for b in 0..<batch {
            for h in 0..<queryHeads {
                let p = probabilities + probabilityBase(b, h)
                BLAS.gemm(transB: true, m: queryLength, n: keyLength, k: headDim, alpha: scale,
                          a: q + queryBase(b, h), lda: queryRowStride, b: k + keyBase(b, h), ldb: keyRowStride,
                          c: p, ldc: keyLength)
                for i in 0..<queryLength {
                    Kernels.softmaxRow(p + i * keyLength, visible: offset + i + 1, columns: keyLength)
                }
                BLAS.gemm(m: queryLength, n: headDim, k: keyLength, a: UnsafePointer(p), lda: keyLength,
                          b: v + keyBase(b, h), ldb: keyRowStride, c: out + queryBase(b, h), ldc: queryRowStride)
            }
        }
    }

    func backward(dOut: UnsafePointer<Float>, q: UnsafePointer<Float>, k: UnsafePointer<Float>,
                  v: UnsafePointer<Float>, probabilities: UnsafePointer<Float>,
                  dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>) {
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: queryLength * keyLength)
        defer { scratch.deallocate() }
        for b in 0..<batch {
            for h in 0..<queryHeads {
                let p = probabilities + probabilityBase(b, h)
                let dO = dOut + queryBase(b, h)
                // dV += Pᵀ·dO
                BLAS.gemm(transA: true, m: keyLength, n: headDim, k: queryLength, a: p, lda: keyLength,
                          b: dO, ldb: queryRowStride, beta: 1, c: dv + keyBase(b, h), ldc: keyRowStride)
                // dP = dO·Vᵀ, then dS = P ∘ (dP − rowsum(dP ∘ P))
                BLAS.gemm(transB: true, m: queryLength, n: keyLength, k: headDim, a: dO, lda: queryRowStride,
                          b: v + keyBase(b, h), ldb: keyRowStride, c: scratch, ldc: keyLength)
                for i in 0..<queryLength {
                    let ds = scratch + i * keyLength, pr = p + i * keyLength
                    var dot: Float = 0
                    // Masked probabilities are exactly 0: their terms add nothing.
                    for j in 0..<(offset + i + 1) { dot += ds[j] * pr[j] }
                    for j in 0..<keyLength { ds[j] = pr[j] * (ds[j] - dot) }
                }
                // dQ = scale·dS·K ; dK += scale·dSᵀ·Q
                BLAS.gemm(m: queryLength, n: headDim, k: keyLength, alpha: scale, a: scratch, lda: keyLength,
                          b: k + keyBase(b, h), ldb: keyRowStride, beta: 1, c: dq + queryBase(b, h),
                          ldc: queryRowStride)
                BLAS.gemm(transA: true, m: keyLength, n: headDim, k: queryLength, alpha: scale, a: scratch,
                          lda: keyLength, b: q + queryBase(b, h), ldb: queryRowStride, beta: 1,
                          c: dk + keyBase(b, h), ldc: keyRowStride)
            }
        }
    }
}
