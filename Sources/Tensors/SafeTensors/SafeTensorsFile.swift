/// A safetensors file opened for reading: memory-mapped, header validated up front.
///
/// Tensor bytes are served straight from the mapping (`withBytes`), and converted on request (`floats`, `uint8s`,
/// `int64s`, `int32s`). Opening never reads tensor data, so listing a 10 GB checkpoint is instant.
public final class SafeTensorsFile: Sendable {
    /// The file's path.
    public let path: String
    /// The validated header.
    public let header: SafeTensorsHeader
    private let mapping: MappedFile
    private let index: [String: SafeTensorInfo]

    /// Maps and validates `path`; throws `SafeTensorsError` naming the file on any corruption.
    public init(path: String) throws {
        let mapping = try MappedFile(path: path)
        self.path = path
        self.mapping = mapping
        self.header = try SafeTensorsHeader.parse(mapping.bytes, fileLength: mapping.bytes.count, path: path)
        self.index = Dictionary(uniqueKeysWithValues: header.tensors.map { ($0.name, $0) })
    }

    /// Tensor names, sorted.
    public var names: [String] { header.tensors.map(\.name) }

    /// The `__metadata__` map.
    public var metadata: [String: String] { header.metadata }

    /// Whether the file holds `name`.
    public func contains(_ name: String) -> Bool { index[name] != nil }

    /// The header entry for `name`; throws `.missingTensor` if absent.
    public func info(_ name: String) throws -> SafeTensorInfo {
        guard let info = index[name] else {
            let near = names.filter { $0.hasSuffix(name.split(separator: ".").last.map(String.init) ?? name) }.prefix(3)
            let hint = near.isEmpty ? "" : " (similar: \(near.joined(separator: ", ")))"
            throw SafeTensorsError(.missingTensor, path: path, "no tensor named '\(name)'\(hint)")
        }
        return info
    }

    /// Calls `body` with the raw little-endian bytes of `name`, straight from the mapping.
    public func withBytes<R>(_ name: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let info = try info(name)
        let start = header.dataStart + info.dataRange.lowerBound
        return try body(UnsafeRawBufferPointer(rebasing: mapping.bytes[start..<(start + info.dataRange.count)]))
    }

    /// Drops the mapped pages of `name`'s data from the resident set (`MappedFile.releasePages`) once it has been
    /// converted; the tensor stays readable.
    public func releasePages(_ name: String) throws {
        let info = try info(name)
        let start = header.dataStart + info.dataRange.lowerBound
        mapping.releasePages(in: start..<(start + info.dataRange.count))
    }

    /// The raw bytes of `name`, copied.
    public func bytes(_ name: String) throws -> [UInt8] {
        try withBytes(name) { Array($0) }
    }

    /// `name` as Float32 values (F32 as is; F16, BF16 and F64 converted), row-major.
    public func floats(_ name: String) throws -> [Float] {
        let info = try info(name)
        return try withBytes(name) { raw in
            let count = info.elementCount
            switch info.dtype {
            case .f32:
                return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                    if count > 0 { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw) }
                    initialized = count
                }
            case .bf16:
                return (0..<count).map {
                    HalfPrecision.float(bfloat16: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 2,
                                                                                         as: UInt16.self)))
                }
            case .f16:
                return (0..<count).map {
                    HalfPrecision.float(float16: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 2,
                                                                                       as: UInt16.self)))
                }
            case .f64:
                return (0..<count).map { Float(raw.loadUnaligned(fromByteOffset: $0 * 8, as: Double.self)) }
            default:
                throw SafeTensorsError(.unsupportedDType, path: path,
                                       "tensor '\(name)' is \(info.dtype.rawValue), not a floating-point type")
            }
        }
    }

    /// `name` as bytes; it must be U8.
    public func uint8s(_ name: String) throws -> [UInt8] {
        try requireDType(name, .u8)
        return try bytes(name)
    }

    /// `name` as Int64 values; it must be I64.
    public func int64s(_ name: String) throws -> [Int64] {
        let info = try requireDType(name, .i64)
        return try withBytes(name) { raw in
            (0..<info.elementCount).map { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) }
        }
    }

    /// `name` as Int32 values; it must be I32.
    public func int32s(_ name: String) throws -> [Int32] {
        let info = try requireDType(name, .i32)
        return try withBytes(name) { raw in
            (0..<info.elementCount).map { Int32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self)) }
        }
    }

    /// The tensor as an entry ready to write elsewhere (bytes copied, dtype and shape kept).
    public func entry(_ name: String) throws -> SafeTensorsEntry {
        let info = try info(name)
        return SafeTensorsEntry(dtype: info.dtype, shape: info.shape, bytes: try bytes(name))
    }

    @discardableResult
    private func requireDType(_ name: String, _ dtype: SafeTensorsDType) throws -> SafeTensorInfo {
        let info = try info(name)
        guard info.dtype == dtype else {
            throw SafeTensorsError(.unsupportedDType, path: path,
                                   "tensor '\(name)' is \(info.dtype.rawValue), expected \(dtype.rawValue)")
        }
        return info
    }
}
