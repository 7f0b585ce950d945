/// A node of the reverse-mode autodiff graph: a tensor value, its gradient, and how to pass gradients back.
///
/// Leaves are parameters or inputs (`init(_:requiresGrad:)`); every op on variables returns a new node that
/// remembers its parents and a backward closure, but only when some parent needs a gradient, so inference and
/// frozen weights build no graph at all. `backward()` walks the graph once in reverse topological order.
public final class Variable {
    /// The forward value.
    public var value: Tensor
    /// The accumulated gradient of the last `backward()` calls (leaves keep it until `zeroGrad()`).
    public var grad: Tensor?
    /// Whether gradients flow to (and through) this node.
    public var requiresGrad: Bool
    /// The nodes this one was computed from (empty for a leaf).
    let parents: [Variable]
    /// Given this node's gradient, adds the parents' gradients; released once used.
    private var backwardFunction: ((Tensor) -> Void)?

    /// A leaf: a parameter when `requiresGrad`, else a constant input.
    public init(_ value: Tensor, requiresGrad: Bool = false) {
        self.value = value
        self.requiresGrad = requiresGrad
        self.parents = []
        self.backwardFunction = nil
    }

    private init(value: Tensor, parents: [Variable], backward: @escaping (Tensor) -> Void) {
        self.value = value
        self.requiresGrad = true
        self.parents = parents
        self.backwardFunction = backward
    }

    /// The result of an op: a graph node when any parent requires a gradient, else a constant.
    static func result(_ value: Tensor, parents: [Variable], backward: @escaping (Tensor) -> Void) -> Variable {
        if isRecording && parents.contains(where: { $0.requiresGrad }) {
            return Variable(value: value, parents: parents, backward: backward)
        }
        return Variable(value)
    }

    /// Whether ops record a graph; false inside `withoutGradients` (inference, generation, evaluation).
    @TaskLocal static var isRecording = true

    /// Runs `body` without recording any graph, even over trainable parameters (PyTorch's `torch.no_grad()`).
    public static func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
        try $isRecording.withValue(false, operation: body)
    }

    /// The value's shape.
    public var shape: [Int] { value.shape }
    /// Whether this node is a leaf (a parameter or input, not an op result).
    public var isLeaf: Bool { parents.isEmpty }

    /// Adds `g` to this node's gradient (allocating it on first use).
    func accumulate(_ g: Tensor) {
        precondition(g.shape == value.shape, "gradient shape \(g.shape) does not match value shape \(value.shape)")
        guard requiresGrad else { return }
        if grad == nil {
            grad = g
        } else {
            grad!.withUnsafeMutableBufferPointer { dst in
                g.withUnsafeBufferPointer { src in
                    for i in 0..<src.count { dst[i] += src[i] }
                }
            }
        }
    }

    /// Forgets the accumulated gradient (call after each optimizer step).
    public func zeroGrad() { grad = nil }

    /// Back-propagates from this scalar (a loss): seeds d(self)/d(self) = 1.
    public func backward() {
        precondition(value.count == 1, "backward() without a seed needs a scalar, got shape \(shape)")
        backward(seed: Tensor(shape: shape, repeating: 1))
    }

    /// Back-propagates `seed` (the gradient of some scalar with respect to this node) to every leaf that requires
    /// a gradient, adding to what they hold. Intermediate gradients and closures are released as they are used,
    /// so the graph can be back-propagated once.
    public func backward(seed: Tensor) {
        guard requiresGrad else { return }
        accumulate(seed)
        for node in reverseTopologicalOrder() {
            guard let function = node.backwardFunction, let g = node.grad else { continue }
            node.backwardFunction = nil
            node.grad = nil
            function(g)
        }
    }

    /// Nodes reachable from self that take part in differentiation, each after every node that uses it.
    private func reverseTopologicalOrder() -> [Variable] {
        var order: [Variable] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Variable, Bool)] = [(self, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded { order.append(node); continue }
            guard node.requiresGrad, visited.insert(ObjectIdentifier(node)).inserted else { continue }
            stack.append((node, true))
            for parent in node.parents where parent.requiresGrad && !visited.contains(ObjectIdentifier(parent)) {
                stack.append((parent, false))
            }
        }
        return order.reversed()
    }
}
