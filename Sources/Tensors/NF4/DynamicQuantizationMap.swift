/// bitsandbytes' 8-bit dynamic-exponent code (`create_dynamic_map`), the map double quantization uses for absmax.
///
/// For the signed map (7 exponent bits, 8 bits in all) exponent i = 0…6 contributes 2^i fraction values
/// `10^(i−6) · mean(linspace(0.1, 1, 2^i + 1))` and their negatives; 0 and 1 complete the 256 entries, sorted
/// ascending. Arithmetic is done in Float32 as PyTorch does (linspace from both ends towards the middle, the pairwise
/// means and the product by the decade all rounded to Float32), so the entries match bitsandbytes' table; the table
/// itself travels in the checkpoint as `nested_quant_map`, so a reader never depends on recomputing it.
public enum DynamicQuantizationMap {
    /// The signed 256-entry map, ascending, from −1 to 1 with 0 at index 127 and several tiny magnitudes around it.
    public static let signed: [Float] = make(signed: true)

    /// `create_dynamic_map(signed, max_exponent_bits: 7, total_bits: 8)`.
    public static func make(signed: Bool) -> [Float] {
        let maxExponentBits = 7
        let nonSignBits = signed ? 7 : 8
        var additionalItems = (1 << (nonSignBits - maxExponentBits)) - 1
        if !signed { additionalItems *= 2 }
        var data: [Float] = []
        var lastDecade: Float = 1
        for i in 0..<maxExponentBits {
            let fractionItems = signed ? (1 << (i + nonSignBits - maxExponentBits)) + 1
                                       : (1 << (i + nonSignBits - maxExponentBits + 1)) + 1
            let means = pairwiseMeans(linspace(0.1, 1, fractionItems))
            let decade = Float(pow10(i - (maxExponentBits - 1)))
            lastDecade = decade
            data += means.map { decade * $0 }
            if signed { data += means.map { -decade * $0 } }
        }
        if additionalItems > 0 {
            let means = pairwiseMeans(linspace(0.1, 1, additionalItems + 1))
            data += means.map { lastDecade * $0 }
            if signed { data += means.map { -lastDecade * $0 } }
        }
        data.append(0)
        data.append(1)
        while data.count < 256 { data.append(0) }
        return data.sorted()
    }

    /// `torch.linspace(start, end, steps)` in Float32: the first half counts up from `start`, the second half
    /// counts down from `end`, both by the Float32 step.
    static func linspace(_ start: Float, _ end: Float, _ steps: Int) -> [Float] {
        if steps == 1 { return [start] }
        let step = (end - start) / Float(steps - 1)
        let halfway = steps / 2
        return (0..<steps).map { index in
            index < halfway ? start + step * Float(index) : end - step * Float(steps - index - 1)
        }
    }

    static func pairwiseMeans(_ boundaries: [Float]) -> [Float] {
        (0..<(boundaries.count - 1)).map { (boundaries[$0] + boundaries[$0 + 1]) / 2 }
    }

    /// Python's `10 ** exponent` for the exponents the map uses (−6…0), as correctly rounded literals.
    static func pow10(_ exponent: Int) -> Double {
        let decades: [Double] = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1]
        precondition((-6...0).contains(exponent), "the dynamic map spans 10^-6 … 10^0")
        return decades[exponent + 6]
    }

    /// The 8-bit code for `x` (already divided by its block's absmax) in a sorted 256-entry `map`.
    ///
    /// The same 7-step binary search and midpoint rounding as bitsandbytes' `dQuantize<0>` (nearest entry; between
    /// the search's final pivot and its neighbour the midpoint decides, ties staying on the pivot).
    @inlinable
    public static func code(for x: Float, in map: UnsafeBufferPointer<Float>) -> UInt8 {
        var pivot = 127
        var upperPivot = 255
        var lowerPivot = 0
        var lower: Float = -1
        var upper: Float = 1
        var value = map[pivot]
        var stepSize = 64
        while stepSize > 0 {
            if x > value {
                lowerPivot = pivot
                lower = value
                pivot += stepSize
            } else {
                upperPivot = pivot
                upper = value
                pivot -= stepSize
            }
            value = map[pivot]
            stepSize >>= 1
        }
        if upperPivot == 255 { upper = map[upperPivot] }
        if lowerPivot == 0 { lower = map[lowerPivot] }
        if x > value {
            let midpoint = (upper + value) * 0.5
            return UInt8(x > midpoint ? upperPivot : pivot)
        } else {
            let midpoint = (lower + value) * 0.5
            return UInt8(x < midpoint ? lowerPivot : pivot)
        }
    }
}
