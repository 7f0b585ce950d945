/// Conversions between Float32 and the two 16-bit float formats checkpoints use (IEEE half and bfloat16).
///
/// Both directions round to nearest even, as PyTorch's `.to(torch.float16/bfloat16)` does, so a tensor written
/// here and one written by PyTorch hold the same bits; NaN stays NaN (quiet) and overflow becomes ±infinity.
public enum HalfPrecision {
    /// The bfloat16 bits of `value`: the top 16 bits of the Float32, rounded to nearest even.
    @inlinable
    public static func bfloat16Bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040 }
        let roundingBias: UInt32 = 0x7FFF + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ roundingBias) >> 16)
    }

    /// The Float32 value of bfloat16 `bits` (exact: bfloat16 is a truncated Float32).
    @inlinable
    public static func float(bfloat16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// The IEEE 754 binary16 bits of `value`, rounded to nearest even (subnormals kept, overflow → ±inf).
    @inlinable
    public static func float16Bits(_ value: Float) -> UInt16 {
        #if !(os(macOS) && arch(x86_64))
        return Float16(value).bitPattern
        #else
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: (bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        let mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF {  // inf or NaN
            return sign | 0x7C00 | (mantissa != 0 ? 0x0200 | UInt16(truncatingIfNeeded: mantissa >> 13) : 0)
        }
        let unbiased = exponent - 127
        if unbiased > 15 { return sign | 0x7C00 }
        if unbiased >= -14 {  // normal half
            var half = UInt32(unbiased + 15) << 10 | (mantissa >> 13)
            let rest = mantissa & 0x1FFF
            if rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1) { half += 1 }  // may carry into inf: correct
            return sign | UInt16(truncatingIfNeeded: half)
        }
        if unbiased < -25 { return sign }  // below half the smallest subnormal: ±0
        // Subnormal half: shift the full 24-bit significand into place and round to nearest even.
        let significand = mantissa | 0x80_0000
        let shift = UInt32(-unbiased - 1)  // value = significand·2^(unbiased−23) = m·2^−24
        let half = significand >> shift
        let rest = significand & ((1 << shift) - 1)
        let halfway: UInt32 = 1 << (shift - 1)
        var rounded = half
        if rest > halfway || (rest == halfway && (half & 1) == 1) { rounded += 1 }
        return sign | UInt16(truncatingIfNeeded: rounded)
        #endif
    }

    /// The Float32 value of IEEE binary16 `bits` (exact).
    @inlinable
    public static func float(float16 bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x3FF)
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        if exponent == 0 {
            if mantissa == 0 { return Float(bitPattern: sign) }
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }
}
