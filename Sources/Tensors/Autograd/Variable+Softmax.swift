import Foundation

/// Softmax and log-softmax over the last axis, computed with the max subtracted for stability.
extension Variable {
    /// softmax over the last axis: e^(x − max) / Σ e^(x − max).
    public func softmax() -> Variable {
        let n = shape.last ?? 1
        var y = value
        y.withUnsafeMutableBufferPointer { p in Kernels.softmaxRows(p.baseAddress!, rows: p.count / n, columns: n) }
        return Variable.result(y, parents: [self]) { [self] g in
            // dx = y ∘ (g − Σ g∘y) per row
            var dx = g
            dx.withUnsafeMutableBufferPointer { d in
                y.withUnsafeBufferPointer { yp in
                    for r in 0..<(d.count / n) {
                        let base = r * n
                        var dot: Float = 0
                        for j in 0..<n { dot += d[base + j] * yp[base + j] }
                        for j in 0..<n { d[base + j] = yp[base + j] * (d[base + j] - dot) }
                    }
                }
            }
            self.accumulate(dx)
        }
    }

    /// log-softmax over the last axis: x − max − log Σ e^(x − max).
    public func logSoftmax() -> Variable {
        let n = shape.last ?? 1
        var y = value
        y.withUnsafeMutableBufferPointer { p in Kernels.logSoftmaxRows(p.baseAddress!, rows: p.count / n, columns: n) }
        return Variable.result(y, parents: [self]) { [self] g in
            // dx = g − softmax · Σ g per row
            var dx = g
            dx.withUnsafeMutableBufferPointer { d in
                y.withUnsafeBufferPointer { yp in
                    for r in 0..<(d.count / n) {
                        let base = r * n
                        var total: Float = 0
                        for j in 0..<n { total += d[base + j] }
                        for j in 0..<n { d[base + j] -= Foundation.exp(yp[base + j]) * total }
                    }
                }
            }
            self.accumulate(dx)
        }
    }
}

/// Row kernels shared by several ops.
enum Kernels {
    /// In-place softmax of each of `rows` contiguous rows of `columns` values.
    static func softmaxRows(_ p: UnsafeMutablePointer<Float>, rows: Int, columns n: Int) {
        for r in 0..<rows { softmaxRow(p + r * n, visible: n, columns: n) }
    }

    /// In-place softmax of one row whose first `visible` values take part; the rest become exactly 0. Equal, bit
    /// for bit, to masking them with −∞ first (exp(−∞) is 0 and adding 0 changes no sum) at half the work for a
    /// causal mask.
    static func softmaxRow(_ row: UnsafeMutablePointer<Float>, visible: Int, columns n: Int) {
        var m = -Float.infinity
        for j in 0..<visible { m = Swift.max(m, row[j]) }
        for j in 0..<visible { row[j] -= m }
        VectorExp.exp(row, into: row, count: visible)
        var s: Float = 0
        for j in 0..<visible { s += row[j] }
        let inv = 1 / s
        for j in 0..<visible { row[j] *= inv }
        for j in visible..<n { row[j] = 0 }
    }

    /// In-place log-softmax of each of `rows` contiguous rows of `columns` values.
    static func logSoftmaxRows(_ p: UnsafeMutablePointer<Float>, rows: Int, columns n: Int) {
        let terms = UnsafeMutablePointer<Float>.allocate(capacity: n)
        defer { terms.deallocate() }
        for r in 0..<rows {
            let row = p + r * n
            let logZ = logSumExp(row, count: n, scratch: terms)
            for j in 0..<n { row[j] -= logZ }
        }
    }

    /// log Σ exp(row[j]) over `count` values, shifted by the row's maximum: exp(x − m) for the whole row at once
    /// into `scratch` (`VectorExp`, libm's bits), then summed in index order.
    static func logSumExp(_ row: UnsafePointer<Float>, count n: Int, scratch: UnsafeMutablePointer<Float>) -> Float {
        var m = -Float.infinity
        for j in 0..<n { m = Swift.max(m, row[j]) }
        for j in 0..<n { scratch[j] = row[j] - m }
        VectorExp.exp(scratch, into: scratch, count: n)
        var s: Float = 0
        for j in 0..<n { s += scratch[j] }
        return m + Foundation.log(s)
    }
}
