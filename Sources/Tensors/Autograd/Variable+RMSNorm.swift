import Foundation

/// Root-mean-square layer norm as Qwen3/Llama: y = x / √(mean(x²) + ε) · w, over the last axis.
extension Variable {
    /// RMSNorm over the last axis of `self` with a learned gain `weight` [d] and `eps` from the model config.
    /// Qwen3 also applies it per attention head (QK-norm) by viewing q/k as [..., heads, head_dim].
    public func rmsNorm(weight: Variable, eps: Float) -> Variable {
        let d = shape.last ?? 1
        precondition(weight.shape == [d], "rmsNorm: weight \(weight.shape) does not match last axis \(d)")
        let rows = value.count / Swift.max(1, d)
        let x = value
        var y = x
        var inverseRMS = [Float](repeating: 0, count: rows)
        y.withUnsafeMutableBufferPointer { yp in
            weight.value.withUnsafeBufferPointer { w in
                for r in 0..<rows {
                    let base = r * d
                    var ss: Float = 0
                    for j in 0..<d { ss += yp[base + j] * yp[base + j] }
                    let inv = 1 / (ss / Float(d) + eps).squareRoot()
                    inverseRMS[r] = inv
                    for j in 0..<d { yp[base + j] = yp[base + j] * inv * w[j] }
                }
            }
        }
        return Variable.result(y, parents: [self, weight]) { [self] g in
            let w = weight.value
            if self.requiresGrad {
                // n = x·inv; dn = g·w; dx = inv · (dn − n · mean(dn·n))
                var dx = g
                dx.withUnsafeMutableBufferPointer { dp in
                    x.withUnsafeBufferPointer { xp in
                        w.withUnsafeBufferPointer { wp in
                            for r in 0..<rows {
                                let base = r * d
                                let inv = inverseRMS[r]
                                var dot: Float = 0
                                for j in 0..<d { dot += dp[base + j] * wp[j] * xp[base + j] * inv }
                                let meanDot = dot / Float(d)
                                for j in 0..<d {
                                    let n = xp[base + j] * inv
                                    dp[base + j] = inv * (dp[base + j] * wp[j] - n * meanDot)
                                }
                            }
                        }
                    }
                }
                self.accumulate(dx)
            }
            if weight.requiresGrad {
                var dw = [Float](repeating: 0, count: d)
                g.withUnsafeBufferPointer { gp in
                    x.withUnsafeBufferPointer { xp in
                        for r in 0..<rows {
                            let base = r * d
                            let inv = inverseRMS[r]
                            for j in 0..<d { dw[j] += gp[base + j] * xp[base + j] * inv }
                        }
                    }
                }
                weight.accumulate(Tensor(shape: [d], scalars: dw))
            }
        }
    }
}
