/// Global-norm gradient clipping as `torch.nn.utils.clip_grad_norm_`: when the L2 norm of all gradients taken
/// together exceeds `maxNorm`, every gradient is scaled by maxNorm / (norm + 1e-6).
/// Returns the norm before clipping (what trainers log as `grad_norm`).
@discardableResult
public func clipGradientNorm(_ parameters: [Variable], maxNorm: Float) -> Float {
    var total = 0.0
    for parameter in parameters { total += parameter.grad?.squaredNorm() ?? 0 }
    let norm = Float(total.squareRoot())
    let coefficient = maxNorm / (norm + 1e-6)
    if coefficient < 1 {
        for parameter in parameters where parameter.grad != nil { parameter.grad = parameter.grad! * coefficient }
    }
    return norm
}
