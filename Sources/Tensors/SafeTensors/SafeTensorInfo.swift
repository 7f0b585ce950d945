/// One tensor's entry in a safetensors header: its type, shape and byte range in the data section.
public struct SafeTensorInfo: Sendable, Equatable {
    /// The tensor's name (the header key).
    public let name: String
    /// Element type.
    public let dtype: SafeTensorsDType
    /// Dimensions; `[]` is a scalar.
    public let shape: [Int]
    /// Byte range relative to the start of the data section (`data_offsets`).
    public let dataRange: Range<Int>

    /// Number of elements (product of the shape; 1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }

    /// Makes an entry.
    public init(name: String, dtype: SafeTensorsDType, shape: [Int], dataRange: Range<Int>) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.dataRange = dataRange
    }
}
