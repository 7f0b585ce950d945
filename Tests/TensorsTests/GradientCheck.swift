import Testing
@testable import Tensors

/// Compares autodiff gradients against central finite differences.
///
/// The scalar checked is Σ output ∘ R for a fixed random R, so every output element carries a distinct upstream
/// gradient (a plain sum would hide errors that cancel).
struct GradientCheck {
    var epsilon: Float = 1e-2
    var absoluteTolerance: Float = 3e-3
    var relativeTolerance: Float = 2e-2

    /// Largest violation found (0 when all gradients agree), with a description of where.
    func check(_ inputs: [Tensor], seed: UInt64 = 7, _ function: ([Variable]) -> Variable) -> [String] {
        var generator = SeededGenerator(seed: seed)
        let variables = inputs.map { Variable($0, requiresGrad: true) }
        let output = function(variables)
        let weights = Tensor.normal(output.shape, using: &generator)
        (output * Variable(weights)).sum().backward()

        func objective(_ values: [Tensor]) -> Double {
            let out = function(values.map { Variable($0) }).value
            var s = 0.0
            for i in 0..<out.count { s += Double(out[flat: i]) * Double(weights[flat: i]) }
            return s
        }

        var failures: [String] = []
        for (index, input) in inputs.enumerated() {
            let analytic = variables[index].grad ?? Tensor.zeros(input.shape)
            for element in 0..<input.count {
                var plus = inputs, minus = inputs
                plus[index][flat: element] += epsilon
                minus[index][flat: element] -= epsilon
                let numeric = Float((objective(plus) - objective(minus)) / Double(2 * epsilon))
                let got = analytic[flat: element]
                if abs(got - numeric) > absoluteTolerance + relativeTolerance * abs(numeric) {
                    failures.append("input \(index) element \(element): autodiff \(got), finite difference \(numeric)")
                }
            }
        }
        return failures
    }
}

/// A reproducible random tensor for tests.
func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor.normal(shape, std: scale, using: &generator)
}
