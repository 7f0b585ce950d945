import Foundation

/// Differentiable elementwise ops, reductions and reshapes.
extension Variable {
    /// Elementwise a + b (same shape).
    public static func + (a: Variable, b: Variable) -> Variable {
        result(a.value + b.value, parents: [a, b]) { g in
            a.accumulate(g)
            b.accumulate(g)
        }
    }

    /// Elementwise a − b (same shape).
    public static func - (a: Variable, b: Variable) -> Variable {
        result(a.value - b.value, parents: [a, b]) { g in
            a.accumulate(g)
            if b.requiresGrad { b.accumulate(g * -1) }
        }
    }

    /// Elementwise a · b (same shape).
    public static func * (a: Variable, b: Variable) -> Variable {
        result(a.value * b.value, parents: [a, b]) { g in
            if a.requiresGrad { a.accumulate(g * b.value) }
            if b.requiresGrad { b.accumulate(g * a.value) }
        }
    }

    /// Every element times the constant `s`.
    public static func * (a: Variable, s: Float) -> Variable {
        result(a.value * s, parents: [a]) { g in a.accumulate(g * s) }
    }

    /// Every element negated.
    public static prefix func - (a: Variable) -> Variable { a * -1 }

    /// SiLU (swish): x · σ(x), the Qwen MLP activation.
    public func silu() -> Variable {
        let x = value
        var y = x
        var sig = x
        y.withUnsafeMutableBufferPointer { yp in
            sig.withUnsafeMutableBufferPointer { sp in
                // e^−x for the whole tensor at once (`VectorExp`, libm's bits), then σ and x·σ.
                for i in 0..<sp.count { sp[i] = -sp[i] }
                VectorExp.expInPlace(sp)
                for i in 0..<yp.count {
                    let s = 1 / (1 + sp[i])
                    sp[i] = s
                    yp[i] *= s
                }
            }
        }
        return Variable.result(y, parents: [self]) { [self] g in
            var dx = g
            dx.withUnsafeMutableBufferPointer { d in
                x.withUnsafeBufferPointer { xp in
                    sig.withUnsafeBufferPointer { sp in
                        for i in 0..<d.count { d[i] *= sp[i] * (1 + xp[i] * (1 - sp[i])) }
                    }
                }
            }
            self.accumulate(dx)
        }
    }

    /// The logistic sigmoid 1 / (1 + e^−x).
    public func sigmoid() -> Variable {
        var y = value
        y.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] = -p[i] }
            VectorExp.expInPlace(p)
            for i in 0..<p.count { p[i] = 1 / (1 + p[i]) }
        }
        return Variable.result(y, parents: [self]) { [self] g in
            var dx = g
            dx.withUnsafeMutableBufferPointer { d in
                y.withUnsafeBufferPointer { s in for i in 0..<d.count { d[i] *= s[i] * (1 - s[i]) } }
            }
            self.accumulate(dx)
        }
    }

    /// log σ(x), computed stably (the DPO loss is −log σ(β·margin)).
    public func logSigmoid() -> Variable {
        let x = value
        var y = x
        y.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count {
                let v = p[i]
                p[i] = Swift.min(v, 0) - Foundation.log1p(Foundation.exp(-abs(v)))
            }
        }
        return Variable.result(y, parents: [self]) { [self] g in
            var dx = g
            dx.withUnsafeMutableBufferPointer { d in
                x.withUnsafeBufferPointer { xp in
                    for i in 0..<d.count { d[i] *= 1 / (1 + Foundation.exp(xp[i])) }  // 1 − σ(x)
                }
            }
            self.accumulate(dx)
        }
    }

    /// The sum of all elements, as a rank-0 tensor.
    public func sum() -> Variable {
        let shape = self.shape
        return Variable.result(Tensor(scalar: value.sum()), parents: [self]) { [self] g in
            self.accumulate(Tensor(shape: shape, repeating: g.scalar))
        }
    }

    /// The mean of all elements, as a rank-0 tensor.
    public func mean() -> Variable {
        sum() * (1 / Float(Swift.max(1, value.count)))
    }

    /// Sums over the last axis: [..., n] → [...].
    public func sumLastAxis() -> Variable {
        let n = shape.last ?? 1
        let rows = value.count / Swift.max(1, n)
        var out = [Float](repeating: 0, count: rows)
        value.withUnsafeBufferPointer { p in
            for r in 0..<rows {
                var s: Float = 0
                for j in 0..<n { s += p[r * n + j] }
                out[r] = s
            }
        }
        let inShape = shape
        return Variable.result(Tensor(shape: Array(shape.dropLast()), scalars: out), parents: [self]) { [self] g in
            var dx = [Float](repeating: 0, count: rows * n)
            for r in 0..<rows { for j in 0..<n { dx[r * n + j] = g.scalars[r] } }
            self.accumulate(Tensor(shape: inShape, scalars: dx))
        }
    }

    /// The same elements under `newShape` (same element count).
    public func reshaped(_ newShape: [Int]) -> Variable {
        let oldShape = shape
        return Variable.result(value.reshaped(newShape), parents: [self]) { [self] g in
            self.accumulate(g.reshaped(oldShape))
        }
    }

    /// Inverted dropout: zeroes each element with probability `p` and scales survivors by 1/(1−p), as
    /// `torch.nn.Dropout` in training mode. The identity when `p == 0`.
    public func dropout(_ p: Float, using generator: inout SeededGenerator) -> Variable {
        precondition(p >= 0 && p < 1, "dropout probability \(p) must be in [0, 1)")
        if p == 0 { return self }
        let keepScale = 1 / (1 - p)
        // `nextUnitFloat() >= p` without the float: the unit float is k/2²⁴ for the top 24 bits k, exactly, so the
        // test is k ≥ ⌈p·2²⁴⌉ (the same draws keep the same elements).
        // The stream runs in a local copy (kept in registers) and is written back once.
        let threshold = UInt64((Double(p) * 16_777_216).rounded(.up))
        var stream = generator
        let mask = [Float](unsafeUninitializedCapacity: value.count) { buffer, initialized in
            for i in 0..<buffer.count { buffer[i] = stream.next() >> 40 >= threshold ? keepScale : 0 }
            initialized = buffer.count
        }
        generator = stream
        let maskTensor = Tensor(shape: shape, scalars: mask)
        return Variable.result(value * maskTensor, parents: [self]) { [self] g in
            self.accumulate(g * maskTensor)
        }
    }
}
