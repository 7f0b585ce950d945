/// A frozen linear layer over a 4-bit NF4 weight (bitsandbytes `Linear4bit`), the base of QLoRA.
///
/// The forward pass y = x·Wᵀ and the input gradient dx = dy·W run on `NF4Weight`'s panel kernels, which never
/// decode the whole weight at once; the weight itself gets no gradient (it is not a parameter).
public final class NF4Linear: LinearLayer {
    /// The quantized weight [out, in].
    public let weight: NF4Weight

    /// Wraps an already quantized weight.
    public init(weight: NF4Weight) { self.weight = weight }

    /// Quantizes an f32 weight [out, in] (blocksize 64 and double quantization by default, as QLoRA).
    public convenience init(quantizing weight: Tensor, blocksize: Int = 64, doubleQuant: Bool = true) {
        precondition(weight.rank == 2, "NF4Linear weight must be [out, in], got \(weight.shape)")
        self.init(weight: .quantize(weight.scalars, rows: weight.shape[0], cols: weight.shape[1],
                                    blocksize: blocksize, doubleQuant: doubleQuant))
    }

    /// The input width.
    public var inFeatures: Int { weight.cols }
    /// The output width.
    public var outFeatures: Int { weight.rows }

    /// y = x · Wᵀ through the NF4 kernels; the backward pass gives only the input gradient.
    public func callAsFunction(_ x: Variable) -> Variable {
        precondition(x.shape.last == inFeatures, "NF4Linear: input \(x.shape) does not end in \(inFeatures)")
        let rows = x.value.count / Swift.max(1, inFeatures)
        let outShape = Array(x.shape.dropLast()) + [outFeatures]
        var y = Tensor.zeros(outShape)
        let weight = self.weight
        x.value.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in weight.matmulTransposed(xp, batch: rows, into: yp) }
        }
        return Variable.result(y, parents: [x]) { g in
            var dx = Tensor.zeros(x.shape)
            g.withUnsafeBufferPointer { gp in
                dx.withUnsafeMutableBufferPointer { dp in weight.matmul(gp, batch: rows, into: dp) }
            }
            x.accumulate(dx)
        }
    }

    /// The dequantized weight [out, in].
    public func effectiveWeight() -> Tensor {
        Tensor(shape: [outFeatures, inFeatures], scalars: weight.dequantize())
    }

    /// None: a quantized weight is not an f32 parameter.
    public func namedParameters() -> [(name: String, variable: Variable)] { [] }
}
