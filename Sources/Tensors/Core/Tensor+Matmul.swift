/// Matrix products through `cblas_sgemm`.
extension Tensor {
    /// op(a) · op(b) for rank-2 tensors, where op transposes when asked.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition(a.rank == 2 && b.rank == 2, "matmul needs matrices, got \(a.shape) and \(b.shape)")
        let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (kb, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        precondition(k == kb, "matmul inner dimensions differ: \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
        var out = Tensor.zeros([m, n])
        gemm(a, b, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, beta: 0, into: &out)
        return out
    }

    /// c = op(a)·op(b) + beta·c, with a and b viewed as matrices of the given sizes.
    static func gemm(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                     beta: Float, alpha: Float = 1, into c: inout Tensor) {
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    BLAS.gemm(transA: transposeA, transB: transposeB, m: m, n: n, k: k, alpha: alpha,
                              a: ap.baseAddress!, lda: transposeA ? m : k,
                              b: bp.baseAddress!, ldb: transposeB ? k : n,
                              beta: beta, c: cp.baseAddress!, ldc: n)
                }
            }
        }
    }

    /// For each batch i: op(a[i]) · op(b[i]), with a [B, ·, ·] and b [B, ·, ·].
    public static func batchedMatmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false,
                                     transposeB: Bool = false) -> Tensor {
        precondition(a.rank == 3 && b.rank == 3 && a.shape[0] == b.shape[0],
                     "batchedMatmul needs [B,·,·] tensors with the same B, got \(a.shape) and \(b.shape)")
        let batch = a.shape[0]
        let (m, k) = transposeA ? (a.shape[2], a.shape[1]) : (a.shape[1], a.shape[2])
        let (kb, n) = transposeB ? (b.shape[2], b.shape[1]) : (b.shape[1], b.shape[2])
        precondition(k == kb, "batchedMatmul inner dimensions differ: \(a.shape) · \(b.shape)")
        var out = Tensor.zeros([batch, m, n])
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                out.withUnsafeMutableBufferPointer { cp in
                    for i in 0..<batch {
                        BLAS.gemm(transA: transposeA, transB: transposeB, m: m, n: n, k: k,
                                  a: ap.baseAddress! + i * m * k, lda: transposeA ? m : k,
                                  b: bp.baseAddress! + i * k * n, ldb: transposeB ? k : n,
                                  c: cp.baseAddress! + i * m * n, ldc: n)
                    }
                }
            }
        }
        return out
    }

    /// W·v (or Wᵀ·v when `transposed`) for a matrix W and a vector v of any shape with the right count, through
    /// `cblas_sgemv`; the result is a [1, n] row.
    public static func matrixVector(_ w: Tensor, _ v: Tensor, transposed: Bool) -> Tensor {
        precondition(w.rank == 2, "matrixVector needs a matrix, got \(w.shape)")
        let (m, n) = (w.shape[0], w.shape[1])
        precondition(v.count == (transposed ? m : n), "matrixVector: vector of \(v.count) does not fit \(w.shape)")
        var out = Tensor.zeros([1, transposed ? n : m])
        w.withUnsafeBufferPointer { wp in
            v.withUnsafeBufferPointer { vp in
                out.withUnsafeMutableBufferPointer { op in
                    BLAS.gemv(trans: transposed, m: m, n: n, a: wp.baseAddress!, lda: n, x: vp.baseAddress!,
                              y: op.baseAddress!)
                }
            }
        }
        return out
    }
}
