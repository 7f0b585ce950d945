/// Differentiable matrix products (all through `cblas_sgemm`).
extension Variable {
    /// a [m, k] · b [k, n] → [m, n].
    public static func matmul(_ a: Variable, _ b: Variable) -> Variable {
        let out = Tensor.matmul(a.value, b.value)
        return result(out, parents: [a, b]) { g in
            if a.requiresGrad { a.accumulate(Tensor.matmul(g, b.value, transposeB: true)) }   // dA = G·Bᵀ
            if b.requiresGrad { b.accumulate(Tensor.matmul(a.value, g, transposeA: true)) }   // dB = Aᵀ·G
        }
    }

    /// The linear layer y = x · Wᵀ: x [..., in], weight [out, in] → [..., out] (PyTorch's `F.linear`, no bias).
    /// A single row (a generation step) goes through `cblas_sgemv`, larger batches through `cblas_sgemm`.
    public static func linear(_ x: Variable, weight: Variable) -> Variable {
        let inFeatures = x.shape.last ?? 1
        let outFeatures = weight.shape[0]
        precondition(weight.shape.count == 2 && weight.shape[1] == inFeatures,
                     "linear: input \(x.shape) does not match weight \(weight.shape)")
        let rows = x.value.count / Swift.max(1, inFeatures)
        let x2 = x.value.reshaped([rows, inFeatures])
        let outShape = Array(x.shape.dropLast()) + [outFeatures]
        let y = rows == 1 ? Tensor.matrixVector(weight.value, x2, transposed: false).reshaped(outShape)
                          : Tensor.matmul(x2, weight.value, transposeB: true).reshaped(outShape)
        return result(y, parents: [x, weight]) { g in
            let g2 = g.reshaped([rows, outFeatures])
            if x.requiresGrad {                                                                     // dX = G·W
                x.accumulate((rows == 1 ? Tensor.matrixVector(weight.value, g2, transposed: true)
                                        : Tensor.matmul(g2, weight.value)).reshaped(x.shape))
            }
            if weight.requiresGrad {
                var dw = weight.grad ?? Tensor.zeros(weight.shape)                                 // dW += Gᵀ·X
                weight.grad = nil                                   // unique storage: gemm adds in place
                Tensor.gemm(g2, x2, transposeA: true, transposeB: false, m: outFeatures, n: inFeatures, k: rows,
                            beta: 1, into: &dw)
                weight.grad = dw
            }
        }
    }

    /// For each batch i: a[i] · op(b[i]) with a [B, m, k] and b [B, k, n] (or [B, n, k] when `transposeB`).
    public static func batchedMatmul(_ a: Variable, _ b: Variable, transposeB: Bool = false) -> Variable {
        let out = Tensor.batchedMatmul(a.value, b.value, transposeB: transposeB)
        return result(out, parents: [a, b]) { g in
            if a.requiresGrad { a.accumulate(Tensor.batchedMatmul(g, b.value, transposeB: !transposeB)) }
            if b.requiresGrad {
                b.accumulate(transposeB ? Tensor.batchedMatmul(g, a.value, transposeA: true)
                                        : Tensor.batchedMatmul(a.value, g, transposeA: true))
            }
        }
    }
}
