import Foundation

/// Whole-tensor arithmetic used by kernels and optimizers: plain loops over contiguous storage, no closures.
extension Tensor {
    /// Elementwise a + b (same shape).
    public static func + (a: Tensor, b: Tensor) -> Tensor { a.combined(with: b, .add) }
    /// Elementwise a − b (same shape).
    public static func - (a: Tensor, b: Tensor) -> Tensor { a.combined(with: b, .subtract) }
    /// Elementwise a · b (same shape).
    public static func * (a: Tensor, b: Tensor) -> Tensor { a.combined(with: b, .multiply) }

    /// Every element times `s`.
    public static func * (a: Tensor, s: Float) -> Tensor {
        var out = a
        out.withUnsafeMutableBufferPointer { p in for i in 0..<p.count { p[i] *= s } }
        return out
    }

    /// self += other · s, in place (an axpy).
    public mutating func addScaled(_ other: Tensor, by s: Float = 1) {
        precondition(shape == other.shape, "addScaled: shapes \(shape) and \(other.shape) differ")
        withUnsafeMutableBufferPointer { dst in
            other.withUnsafeBufferPointer { src in for i in 0..<src.count { dst[i] += s * src[i] } }
        }
    }

    /// The sum of all elements, accumulated in Double.
    public func sum() -> Float {
        withUnsafeBufferPointer { p in
            var s = 0.0
            for v in p { s += Double(v) }
            return Float(s)
        }
    }

    /// The sum of squares of all elements, accumulated in Double.
    public func squaredNorm() -> Double {
        withUnsafeBufferPointer { p in
            var s = 0.0
            for v in p { s += Double(v) * Double(v) }
            return s
        }
    }

    /// The largest |self − other| over all elements.
    public func maxAbsDifference(_ other: Tensor) -> Float {
        precondition(shape == other.shape, "maxAbsDifference: shapes \(shape) and \(other.shape) differ")
        var m: Float = 0
        for i in 0..<count { m = Swift.max(m, abs(scalars[i] - other.scalars[i])) }
        return m
    }

    /// The transpose of a rank-2 tensor.
    public func transposed() -> Tensor {
        precondition(rank == 2, "transposed() needs a matrix, got shape \(shape)")
        let (r, c) = (shape[0], shape[1])
        var out = [Float](repeating: 0, count: count)
        withUnsafeBufferPointer { src in
            for i in 0..<r { for j in 0..<c { out[j * r + i] = src[i * c + j] } }
        }
        return Tensor(shape: [c, r], scalars: out)
    }

    enum BinaryOperator { case add, subtract, multiply }

    func combined(with other: Tensor, _ op: BinaryOperator) -> Tensor {
        precondition(shape == other.shape, "elementwise op: shapes \(shape) and \(other.shape) differ")
        var out = self
        out.withUnsafeMutableBufferPointer { dst in
            other.withUnsafeBufferPointer { src in
                switch op {
                case .add: for i in 0..<src.count { dst[i] += src[i] }
                case .subtract: for i in 0..<src.count { dst[i] -= src[i] }
                case .multiply: for i in 0..<src.count { dst[i] *= src[i] }
                }
            }
        }
        return out
    }
}
