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
        var json = "{"
        var first = true
        if let metadata, !metadata.isEmpty {
            json += "\"__metadata__\":{"
            json += metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }.joined(separator: ",")
            json += "}"
            first = false
        }
        var offset = 0
        for name in order {
            let entry = tensors[name]!
            if !first { json += "," }
            first = false
            let shape = entry.shape.map(String.init).joined(separator: ",")
            json += "\(jsonString(name)):{\"dtype\":\"\(entry.dtype.rawValue)\",\"shape\":[\(shape)],"
            json += "\"data_offsets\":[\(offset),\(offset + entry.bytes.count)]}"
            offset += entry.bytes.count
        }
        json += "}"
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
        let writer = try AtomicFileWriter(destination: path)
        try writer.write(header)
        for name in order { try writer.write(tensors[name]!.bytes) }
        try writer.commit()
    }

    /// A JSON string literal for `text` (quotes, backslashes and control characters escaped).
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
