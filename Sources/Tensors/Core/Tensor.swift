/// A dense Float32 tensor: a shape and contiguous row-major storage, with value semantics.
///
/// Storage is a Swift array, so copies are cheap and copy-on-write: a tensor is copied only when a shared one is
/// mutated. Kernels reach the storage through the scoped `withUnsafe…` accessors so no pointer outlives its call.
public struct Tensor: Sendable, Equatable {
    /// The extent of each axis, outermost first (row-major).
    public private(set) var shape: [Int]
    /// The elements in row-major order; `count == shape.reduce(1, *)`.
    public private(set) var scalars: [Float]

    /// Wraps `scalars` with `shape`; the element count must match the shape.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative extent")
        precondition(scalars.count == Tensor.elementCount(shape),
                     "Tensor of shape \(shape) needs \(Tensor.elementCount(shape)) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of `shape` filled with `value`.
    public init(shape: [Int], repeating value: Float) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: Tensor.elementCount(shape)))
    }

    /// A tensor of `shape` filled with zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }

    /// A rank-0 tensor holding one value.
    public init(scalar: Float) { self.init(shape: [], scalars: [scalar]) }

    /// The number of elements of a tensor of `shape`.
    public static func elementCount(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// The number of elements.
    public var count: Int { scalars.count }
    /// The number of axes.
    public var rank: Int { shape.count }
    /// The single value of a one-element tensor (a loss, say).
    public var scalar: Float {
        precondition(count == 1, "scalar of a tensor with \(count) elements")
        return scalars[0]
    }

    /// The same elements under a new shape with the same element count (no copy).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    /// Reads the storage through a buffer pointer valid only inside `body`.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer(body)
    }

    /// Mutates the storage in place (copying first if shared) through a pointer valid only inside `body`.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer(body)
    }

    /// Element access by flat (row-major) index.
    public subscript(flat index: Int) -> Float {
        get { scalars[index] }
        set { scalars[index] = newValue }
    }
}

extension Tensor: CustomStringConvertible {
    /// Shape and the first few values, for debugging and test failures.
    public var description: String {
        let head = scalars.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(head)\(count > 8 ? ", …" : "")])"
    }
}
