import CBLAS

/// Thin wrappers over OpenBLAS, each naming the CBLAS function it calls; no C type leaves this file.
///
/// All matrices are row-major. `transA`/`transB` say whether the stored matrix is used transposed.
public enum BLAS {
    /// The number of threads OpenBLAS uses (`openblas_get_num_threads`).
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of threads OpenBLAS uses (`openblas_set_num_threads`).
    public static func setThreadCount(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }

    /// C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C  (`cblas_sgemm`, row-major).
    public static func gemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
                            alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m == 0 || n == 0 { return }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// y[m or n] = alpha · op(A) · x + beta · y for a row-major A[m×n]  (`cblas_sgemv`).
    public static func gemv(trans: Bool = false, m: Int, n: Int, alpha: Float = 1,
                            a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
                            beta: Float = 0, y: UnsafeMutablePointer<Float>) {
        if m == 0 || n == 0 { return }
        cblas_sgemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda),
                    x, 1, beta, y, 1)
    }
}
