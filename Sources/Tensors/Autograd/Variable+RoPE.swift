import Foundation

/// Rotary position embedding, half-split (non-interleaved) as Hugging Face's `rotate_half`:
/// out = x·cos + rotate_half(x)·sin with rotate_half([x₁, x₂]) = [−x₂, x₁] and the frequencies of the first
/// half repeated over the second.
extension Variable {
    /// Rotates x [B, T, H, D] (D even) at the absolute `positions` [T] with base `theta` (config `rope_theta`).
    public func rotaryEmbedding(positions: [Int], theta: Float) -> Variable {
        precondition(rank == 4, "rotaryEmbedding needs [B, T, heads, head_dim], got \(shape)")
        let (batch, t, heads, d) = (shape[0], shape[1], shape[2], shape[3])
        precondition(d % 2 == 0 && positions.count == t,
                     "rotaryEmbedding: head_dim \(d) must be even and positions (\(positions.count)) match T \(t)")
        let table = RotaryTable(positions: positions, headDim: d, theta: theta)
        var y = value
        y.withUnsafeMutableBufferPointer { p in
            table.rotate(p.baseAddress!, batch: batch, tokens: t, heads: heads, inverse: false)
        }
        return Variable.result(y, parents: [self]) { [self] g in
            var dx = g
            dx.withUnsafeMutableBufferPointer { p in
                table.rotate(p.baseAddress!, batch: batch, tokens: t, heads: heads, inverse: true)
            }
            self.accumulate(dx)
        }
    }

    private var rank: Int { shape.count }
}

/// cos/sin of position × inverse frequency, for T positions and D/2 frequencies, computed in Float32 like HF.
struct RotaryTable {
    let half: Int
    let cos: [Float]
    let sin: [Float]

    init(positions: [Int], headDim: Int, theta: Float) {
        half = headDim / 2
        var c = [Float](repeating: 0, count: positions.count * half)
        var s = c
        for i in 0..<half {
            let inverseFrequency = 1 / Foundation.pow(theta, Float(2 * i) / Float(headDim))
            for (row, position) in positions.enumerated() {
                let angle = Float(position) * inverseFrequency
                c[row * half + i] = Foundation.cos(angle)
                s[row * half + i] = Foundation.sin(angle)
            }
        }
        cos = c
        sin = s
    }

    /// Rotates in place every head vector of a [B, T, H, 2·half] buffer; `inverse` applies the transpose
    /// rotation (the backward pass).
    func rotate(_ p: UnsafeMutablePointer<Float>, batch: Int, tokens: Int, heads: Int, inverse: Bool) {
        let d = 2 * half
        let sign: Float = inverse ? -1 : 1
        for b in 0..<batch {
            for t in 0..<tokens {
                let cs = t * half
                for h in 0..<heads {
                    let v = p + ((b * tokens + t) * heads + h) * d
                    for i in 0..<half {
                        let c = cos[cs + i], s = sign * sin[cs + i]
                        let x1 = v[i], x2 = v[i + half]
                        v[i] = x1 * c - x2 * s
                        v[i + half] = x2 * c + x1 * s
                    }
                }
            }
        }
    }
}
