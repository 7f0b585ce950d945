/// The element types a safetensors file may declare, by their on-disk names.
///
/// Reading and writing are supported for F32, F16, BF16, U8, I8, I32 and I64 (what Hugging Face and bitsandbytes
/// checkpoints use); the other names parse so a header can be validated and the error can name the type.
public enum SafeTensorsDType: String, Sendable, CaseIterable, Codable {
    case bool = "BOOL", u8 = "U8", i8 = "I8", u16 = "U16", i16 = "I16", f16 = "F16", bf16 = "BF16"
    case u32 = "U32", i32 = "I32", f32 = "F32", u64 = "U64", i64 = "I64", f64 = "F64"
    case f8e4m3 = "F8_E4M3", f8e5m2 = "F8_E5M2"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .bool, .u8, .i8, .f8e4m3, .f8e5m2: return 1
        case .u16, .i16, .f16, .bf16: return 2
        case .u32, .i32, .f32: return 4
        case .u64, .i64, .f64: return 8
        }
    }

    /// Whether values of this type can be read as Float32 (`SafeTensorsFile.floats`).
    public var isFloatingPoint: Bool { self == .f32 || self == .f16 || self == .bf16 || self == .f64 }

    /// The PyTorch name (`torch.bfloat16` → `"bfloat16"`), as bitsandbytes records a quantized weight's dtype.
    public var torchName: String {
        switch self {
        case .bool: return "bool"
        case .u8: return "uint8"
        case .i8: return "int8"
        case .u16: return "uint16"
        case .i16: return "int16"
        case .f16: return "float16"
        case .bf16: return "bfloat16"
        case .u32: return "uint32"
        case .i32: return "int32"
        case .f32: return "float32"
        case .u64: return "uint64"
        case .i64: return "int64"
        case .f64: return "float64"
        case .f8e4m3: return "float8_e4m3fn"
        case .f8e5m2: return "float8_e5m2"
        }
    }

    /// The dtype whose PyTorch name is `torchName` (`"bfloat16"` → `.bf16`), if any.
    public init?(torchName: String) {
        guard let match = Self.allCases.first(where: { $0.torchName == torchName }) else { return nil }
        self = match
    }
}
