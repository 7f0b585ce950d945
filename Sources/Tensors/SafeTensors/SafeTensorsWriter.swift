import PipeBasics
/// Serialises tensors to the safetensors format and writes files atomically.
///
/// Layout, as the reference `safetensors` serializer: data ordered by dtype size (largest first, so every tensor is
/// aligned to its element size) then by name; the JSON header lists `__metadata__` first, then tensors in that
/// order, and is padded with spaces to a multiple of 8 bytes. Same tensors in → same bytes out.
public enum SafeTensorsWriter {
    /// The metadata PyTorch writers put in every file.
    public static let pytorchMetadata = ["format": "pt"]

    /// The header bytes (length prefix + padded JSON) and the order the tensor data must follow.
    public static func header(for tensors: [String: SafeTensorsEntry],
                              metadata: [String: String]? = pytorchMetadata) -> (bytes: [UInt8], order: [String]) {
        let order = tensors.keys.sorted { left, right in
            let leftSize = tensors[left]!.dtype.byteSize, rightSize = tensors[right]!.dtype.byteSize
            return leftSize != rightSize ? leftSize > rightSize : left < right
        }
        var fields: [(String, JSONValue)] = []
        if let metadata, !metadata.isEmpty {
            fields.append(("__metadata__", .object(metadata.keys.sorted().map { ($0, .string(metadata[$0]!)) })))
        }
        var offset = 0
        for name in order {
            let entry = tensors[name]!
            fields.append((name, .object([("dtype", .string(entry.dtype.rawValue)),
                                          ("shape", .array(entry.shape.map { .int($0) })),
                                          ("data_offsets", .array([.int(offset), .int(offset + entry.bytes.count)]))])))
            offset += entry.bytes.count
        }
        let json = JSONValue.object(fields).text(.compact)
        var jsonBytes = Array(json.utf8)
        while jsonBytes.count % 8 != 0 { jsonBytes.append(UInt8(ascii: " ")) }
        var bytes = SafeTensorsEntry.littleEndianBytes([UInt64(jsonBytes.count)])
        bytes += jsonBytes
        return (bytes, order)
    }

    /// The whole file in memory.
    public static func encode(_ tensors: [String: SafeTensorsEntry],
                              metadata: [String: String]? = pytorchMetadata) -> [UInt8] {
        let (header, order) = header(for: tensors, metadata: metadata)
        var bytes = header
        for name in order { bytes += tensors[name]!.bytes }
        return bytes
    }

    /// Writes `tensors` to `path` atomically (temp file in the same directory, fsync, rename).
    public static func write(_ tensors: [String: SafeTensorsEntry], to path: String,
                             metadata: [String: String]? = pytorchMetadata) throws {
        let (header, order) = header(for: tensors, metadata: metadata)
        try SafeTensorsError.writing(path) {
            let writer = try AtomicFileWriter(destination: path)
            try writer.write(header)
            for name in order { try writer.write(tensors[name]!.bytes) }
            try writer.commit()
        }
    }
}
