/// A tensor ready to be written to a safetensors file: dtype, shape and little-endian bytes.
public struct SafeTensorsEntry: Sendable, Equatable {
    /// Element type.
    public let dtype: SafeTensorsDType
    /// Dimensions.
    public let shape: [Int]
    /// Little-endian element bytes, `shape.product × dtype.byteSize` of them.
    public let bytes: [UInt8]

    /// Wraps raw bytes; their count must match shape × dtype size.
    public init(dtype: SafeTensorsDType, shape: [Int], bytes: [UInt8]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "SafeTensorsEntry shape must be non-negative")
        precondition(bytes.count == shape.reduce(1, *) * dtype.byteSize,
                     "SafeTensorsEntry: \(bytes.count) bytes for shape \(shape) of \(dtype.rawValue)")
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// Float32 values stored as F32.
    public static func float32(_ values: [Float], shape: [Int]) -> SafeTensorsEntry {
        SafeTensorsEntry(dtype: .f32, shape: shape, bytes: littleEndianBytes(values.map(\.bitPattern)))
    }

    /// Float32 values rounded to BF16 (nearest even).
    public static func bfloat16(_ values: [Float], shape: [Int]) -> SafeTensorsEntry {
        SafeTensorsEntry(dtype: .bf16, shape: shape, bytes: littleEndianBytes(values.map(HalfPrecision.bfloat16Bits)))
    }

    /// Float32 values rounded to F16 (nearest even).
    public static func float16(_ values: [Float], shape: [Int]) -> SafeTensorsEntry {
        SafeTensorsEntry(dtype: .f16, shape: shape, bytes: littleEndianBytes(values.map(HalfPrecision.float16Bits)))
    }

    /// Float32 values stored in the floating-point `dtype` (F32, BF16 or F16).
    public static func floats(_ values: [Float], shape: [Int], dtype: SafeTensorsDType) -> SafeTensorsEntry {
        switch dtype {
        case .bf16: return bfloat16(values, shape: shape)
        case .f16: return float16(values, shape: shape)
        case .f32: return float32(values, shape: shape)
        default: preconditionFailure("SafeTensorsEntry.floats: \(dtype.rawValue) is not F32, BF16 or F16")
        }
    }

    /// Bytes stored as U8.
    public static func uint8(_ values: [UInt8], shape: [Int]) -> SafeTensorsEntry {
        SafeTensorsEntry(dtype: .u8, shape: shape, bytes: values)
    }

    /// Int64 values stored as I64.
    public static func int64(_ values: [Int64], shape: [Int]) -> SafeTensorsEntry {
        SafeTensorsEntry(dtype: .i64, shape: shape, bytes: littleEndianBytes(values.map { UInt64(bitPattern: $0) }))
    }

    /// Int32 values stored as I32.
    public static func int32(_ values: [Int32], shape: [Int]) -> SafeTensorsEntry {
        SafeTensorsEntry(dtype: .i32, shape: shape, bytes: littleEndianBytes(values.map { UInt32(bitPattern: $0) }))
    }

    static func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        let size = MemoryLayout<T>.size
        return [UInt8](unsafeUninitializedCapacity: values.count * size) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            for (index, value) in values.enumerated() {
                raw.storeBytes(of: value.littleEndian, toByteOffset: index * size, as: T.self)
            }
            initialized = values.count * size
        }
    }
}
