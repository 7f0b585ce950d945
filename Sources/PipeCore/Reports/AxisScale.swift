import Foundation

/// A linear axis: a data interval widened to "nice" tick boundaries (1, 2 or 5 × 10ⁿ steps) and mapped
/// onto a pixel range.
public struct AxisScale: Sendable, Equatable {
    /// The first tick (at or below the data minimum).
    public var lower: Double
    /// The last tick (at or above the data maximum).
    public var upper: Double
    /// Distance between ticks.
    public var step: Double
    /// Pixel position of `lower`.
    public var pixelLower: Double
    /// Pixel position of `upper` (may be smaller than `pixelLower`, as on a y axis).
    public var pixelUpper: Double

    /// A scale covering `minimum…maximum` with about `targetTicks` ticks. A zero-width interval is widened
    /// around its value so a constant series still gets an axis.
    public init(minimum: Double, maximum: Double, targetTicks: Int = 6, pixels: (Double, Double)) {
        var lo = minimum, hi = maximum
        if !lo.isFinite || !hi.isFinite { lo = 0; hi = 1 }
        if hi < lo { swap(&lo, &hi) }
        if hi - lo < 1e-12 * max(1, abs(lo)) {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad
            hi += pad
        }
        let step = Self.niceStep((hi - lo) / Double(max(targetTicks - 1, 1)))
        self.step = step
        lower = (lo / step).rounded(.down) * step
        upper = (hi / step).rounded(.up) * step
        pixelLower = pixels.0
        pixelUpper = pixels.1
    }

    /// The smallest of 1, 2, 5, 10 × 10ⁿ not below `raw` (no 2.5: integer data keeps integer ticks).
    static func niceStep(_ raw: Double) -> Double {
        let exponent = (log10(raw)).rounded(.down)
        let base = pow(10, exponent)
        for factor in [1.0, 2.0, 5.0, 10.0] where factor * base >= raw * (1 - 1e-9) { return factor * base }
        return 10 * base
    }

    /// Tick values from `lower` to `upper`, computed by index so rounding never drifts.
    public var ticks: [Double] {
        let count = Int(((upper - lower) / step).rounded()) + 1
        return (0..<max(count, 1)).map { lower + Double($0) * step }
    }

    /// The pixel position of `value`.
    public func pixel(_ value: Double) -> Double {
        pixelLower + (value - lower) / (upper - lower) * (pixelUpper - pixelLower)
    }

    /// A tick's text, with as many decimals as the step needs (no more), exponent form for extreme magnitudes.
    public func label(_ value: Double) -> String {
        let magnitude = max(abs(lower), abs(upper))
        if magnitude >= 1e7 || (magnitude < 1e-4 && magnitude > 0) {
            return String(format: "%.2e", value)
        }
        var decimals = 0
        while decimals < 8 {
            let scaled = step * pow(10, Double(decimals))
            if abs(scaled - scaled.rounded()) < 1e-6 * scaled { break }
            decimals += 1
        }
        return String(format: "%.\(decimals)f", abs(value) < step * 1e-9 ? 0 : value)
    }
}
