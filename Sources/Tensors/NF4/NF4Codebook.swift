/// The 16-value NormalFloat4 codebook and the nearest-code mapping, exactly as bitsandbytes defines them.
///
/// The values are bitsandbytes' `get_4bit_type("nf4")` constants (quantiles of N(0,1) normalised to [-1, 1], with an
/// exact zero). The mapping is the decision tree of `dQuantizeNF4` in `csrc/kernels.cu`: each test is `x > t` on a
/// midpoint `t`, so a value exactly on a midpoint goes to the lower code, and NaN (an all-zero block's 0·∞) falls
/// through every test to code 0, as on the GPU.
public enum NF4Codebook {
    /// The codebook, code 0 (−1) to code 15 (+1); code 7 is exactly zero.
    public static let values: [Float] = [
        -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
        -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
        0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
        0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
    ]

    /// The decision thresholds of `dQuantizeNF4`, as the Float32 literals the CUDA kernel compares against:
    /// `midpoints[k]` separates code k from code k+1.
    public static let midpoints: [Float] = [
        -0.8480964004993439, -0.6106329262256622, -0.4599952697753906, -0.33967943489551544,
        -0.23460740596055984, -0.13791173323988914, -0.045525018125772476, 0.03979014977812767,
        0.1202552504837513, 0.2035212516784668, 0.2920137718319893, 0.3893125355243683,
        0.5016634166240692, 0.6427869200706482, 0.8614784181118011,
    ]

    /// The 4-bit code for a value already divided by its block's absmax (nominally in [-1, 1]).
    ///
    /// The same tree as bitsandbytes' `dQuantizeNF4`: four comparisons, ties (x equal to a midpoint) to the lower
    /// code, NaN to code 0.
    @inlinable
    public static func code(for x: Float) -> UInt8 {
        if x > 0.03979014977812767 {
            if x > 0.3893125355243683 {
                if x > 0.6427869200706482 {
                    return x > 0.8614784181118011 ? 0b1111 : 0b1110
                }
                return x > 0.5016634166240692 ? 0b1101 : 0b1100
            }
            if x > 0.2035212516784668 {
                return x > 0.2920137718319893 ? 0b1011 : 0b1010
            }
            return x > 0.1202552504837513 ? 0b1001 : 0b1000
        }
        if x > -0.33967943489551544 {
            if x > -0.13791173323988914 {
                return x > -0.045525018125772476 ? 0b0111 : 0b0110
            }
            return x > -0.23460740596055984 ? 0b0101 : 0b0100
        }
        if x > -0.6106329262256622 {
            return x > -0.4599952697753906 ? 0b0011 : 0b0010
        }
        return x > -0.8480964004993439 ? 0b0001 : 0b0000
    }

    /// For every packed byte, the two values it decodes to (high nibble first), so a kernel turns one byte into two
    /// floats with one load from a 2 KiB table that stays in L1.
    public static let bytePairs: [SIMD2<Float>] = (0..<256).map {
        SIMD2(values[$0 >> 4], values[$0 & 0xF])
    }

    /// The same code as `code(for:)` as a branch-free binary search over `midpoints`: the tree's four `x > t` tests
    /// become conditional adds, so ties still go to the lower code and NaN still gives 0. Bulk quantization uses it
    /// because the tree's branches mispredict on random weights.
    @inlinable
    public static func branchFreeCode(for x: Float, midpoints: UnsafePointer<Float>) -> UInt8 {
        var index = x > midpoints[7] ? 8 : 0
        index += x > midpoints[index + 3] ? 4 : 0
        index += x > midpoints[index + 1] ? 2 : 0
        index += x > midpoints[index] ? 1 : 0
        return UInt8(truncatingIfNeeded: index)
    }

    /// `midpoints` in a buffer that lives for the whole process, for the branch-free kernel's indexed loads.
    nonisolated(unsafe) static let midpointTable: UnsafePointer<Float> = {
        let table = UnsafeMutablePointer<Float>.allocate(capacity: 16)
        for (index, threshold) in midpoints.enumerated() { table[index] = threshold }
        table[15] = .infinity
        return UnsafePointer(table)
    }()
}
