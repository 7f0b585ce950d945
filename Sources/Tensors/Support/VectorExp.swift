import CVectorMath

/// expf over a buffer, eight lanes at a time where the CPU allows, every value bit-identical to libm's `expf`
/// (wraps `cvm_expf`; CVectorMath checks itself against libm at start-up and falls back to it).
///
/// Why: the softmax of the cross-entropy loss calls expf once per logit — 1,536 rows × 4,096 per pretraining step —
/// and libm's scalar calls were a quarter of a step; the vector path keeps every output of the pipeline unchanged.
public enum VectorExp {
    /// out[i] = expf(x[i]) for i < count; `out` may equal `x`.
    public static func exp(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count >= 0, "a negative count")
        cvm_expf(x, out, count)
    }

    /// Every value of `buffer` replaced by its exp (an empty buffer is left alone).
    public static func expInPlace(_ buffer: UnsafeMutableBufferPointer<Float>) {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
        cvm_expf(base, base, buffer.count)
    }

    /// Whether the vector path is in use on this machine.
    public static var isVectorised: Bool { cvm_expf_is_vectorised() != 0 }

    /// How many float bit patterns first, first + stride, … ≤ last give a value different from libm's (tests).
    public static func mismatches(first: UInt32, last: UInt32, stride: UInt32) -> UInt64 {
        cvm_expf_count_mismatches(first, last, stride)
    }
}
