import Foundation

/// A parsed and validated safetensors header: the tensors it declares and its `__metadata__`.
///
/// Validation follows the reference implementation: an 8-byte little-endian header length no larger than 100 MB and
/// within the file; a JSON object; every entry with a known dtype, a non-negative shape and `data_offsets`
/// [begin, end]; the ranges, sorted, start at 0 and are contiguous (no overlap, no gap); each range's size equals
/// elements × dtype size; the last range ends exactly at the end of the file.
public struct SafeTensorsHeader: Sendable, Equatable {
    /// Largest header accepted, as in the `safetensors` crate.
    public static let maximumHeaderLength = 100_000_000

    /// The tensors, sorted by name.
    public let tensors: [SafeTensorInfo]
    /// The `__metadata__` string map (`{"format": "pt"}` in PyTorch files), empty if absent.
    public let metadata: [String: String]
    /// Byte offset of the data section in the file (8 + header length).
    public let dataStart: Int

    /// Parses and validates the header of a file of `fileLength` bytes whose first bytes are `prefix`
    /// (at least the 8-byte length and the JSON, or the whole file). `path` names the file in errors.
    public static func parse(_ prefix: UnsafeRawBufferPointer, fileLength: Int, path: String) throws -> SafeTensorsHeader {
        guard prefix.count >= 8, fileLength >= 8 else {
            throw SafeTensorsError(.truncatedHeader, path: path,
                                   "file is \(fileLength) bytes, shorter than the 8-byte header length; the file is truncated or not safetensors")
        }
        let declared = prefix.loadUnaligned(as: UInt64.self).littleEndian
        guard declared <= UInt64(maximumHeaderLength) else {
            throw SafeTensorsError(.headerTooLarge, path: path,
                                   "header length \(declared) exceeds the 100 MB limit; the first 8 bytes are corrupt or this is not a safetensors file")
        }
        let headerLength = Int(declared)
        guard 8 + headerLength <= fileLength, 8 + headerLength <= prefix.count else {
            throw SafeTensorsError(.truncatedHeader, path: path,
                                   "header length \(headerLength) runs past the end of the \(fileLength)-byte file; the file is truncated")
        }
        let json = UnsafeRawBufferPointer(rebasing: prefix[8..<(8 + headerLength)])
        guard json.first == UInt8(ascii: "{") else {
            throw SafeTensorsError(.invalidHeaderJSON, path: path, "header does not start with '{'; not a safetensors file")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(json), options: [])
        } catch {
            throw SafeTensorsError(.invalidHeaderJSON, path: path,
                                   "header is not valid JSON (\(error.localizedDescription)); the file is corrupt")
        }
        guard let entries = object as? [String: Any] else {
            throw SafeTensorsError(.invalidHeaderJSON, path: path, "header is JSON but not an object")
        }
        var metadata: [String: String] = [:]
        var tensors: [SafeTensorInfo] = []
        for (name, value) in entries {
            if name == "__metadata__" {
                guard let map = value as? [String: Any] else {
                    throw SafeTensorsError(.invalidHeaderJSON, path: path, "__metadata__ must be an object of strings")
                }
                for (key, item) in map {
                    guard let text = item as? String else {
                        throw SafeTensorsError(.invalidHeaderJSON, path: path, "__metadata__.\(key) must be a string")
                    }
                    metadata[key] = text
                }
                continue
            }
            tensors.append(try parseEntry(name: name, value: value, path: path))
        }
        try validateLayout(tensors, dataLength: fileLength - 8 - headerLength, path: path)
        return SafeTensorsHeader(tensors: tensors.sorted { $0.name < $1.name }, metadata: metadata,
                                 dataStart: 8 + headerLength)
    }

    private static func parseEntry(name: String, value: Any, path: String) throws -> SafeTensorInfo {
        guard let entry = value as? [String: Any] else {
            throw SafeTensorsError(.invalidTensorEntry, path: path, "tensor '\(name)' is not an object")
        }
        guard let dtypeName = entry["dtype"] as? String else {
            throw SafeTensorsError(.invalidTensorEntry, path: path, "tensor '\(name)' has no string 'dtype'")
        }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            throw SafeTensorsError(.unsupportedDType, path: path, "tensor '\(name)' has unknown dtype '\(dtypeName)'")
        }
        guard let shapeValues = entry["shape"] as? [Any] else {
            throw SafeTensorsError(.invalidTensorEntry, path: path, "tensor '\(name)' has no 'shape' array")
        }
        let shape = try shapeValues.map { item -> Int in
            guard let dimension = exactInt(item), dimension >= 0 else {
                throw SafeTensorsError(.invalidTensorEntry, path: path,
                                       "tensor '\(name)' shape \(shapeValues) must hold non-negative integers")
            }
            return dimension
        }
        guard let offsets = entry["data_offsets"] as? [Any], offsets.count == 2,
              let begin = exactInt(offsets[0]), let end = exactInt(offsets[1]), begin >= 0, end >= begin else {
            throw SafeTensorsError(.invalidTensorEntry, path: path,
                                   "tensor '\(name)' needs 'data_offsets' [begin, end] with 0 ≤ begin ≤ end")
        }
        var elements = 1
        for dimension in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw SafeTensorsError(.invalidTensorEntry, path: path, "tensor '\(name)' shape \(shape) overflows")
            }
            elements = product
        }
        guard elements.multipliedReportingOverflow(by: dtype.byteSize) == (end - begin, false) else {
            throw SafeTensorsError(.sizeMismatch, path: path,
                                   "tensor '\(name)' spans \(end - begin) bytes but shape \(shape) of \(dtype.rawValue) needs \(elements * dtype.byteSize)")
        }
        return SafeTensorInfo(name: name, dtype: dtype, shape: shape, dataRange: begin..<end)
    }

    private static func validateLayout(_ tensors: [SafeTensorInfo], dataLength: Int, path: String) throws {
        var cursor = 0
        for info in tensors.sorted(by: { ($0.dataRange.lowerBound, $0.dataRange.upperBound, $0.name)
                                          < ($1.dataRange.lowerBound, $1.dataRange.upperBound, $1.name) }) {
            guard info.dataRange.lowerBound == cursor else {
                let problem = info.dataRange.lowerBound < cursor ? "overlaps the previous tensor" : "leaves a gap"
                throw SafeTensorsError(.invalidOffsets, path: path,
                                       "tensor '\(info.name)' data_offsets \(info.dataRange.lowerBound)…\(info.dataRange.upperBound) \(problem) (expected to start at \(cursor)); the header is corrupt")
            }
            cursor = info.dataRange.upperBound
        }
        guard cursor == dataLength else {
            let problem = cursor > dataLength ? "the file is truncated" : "the file has trailing bytes"
            throw SafeTensorsError(.dataLengthMismatch, path: path,
                                   "tensors declare \(cursor) data bytes but the file holds \(dataLength); \(problem)")
        }
    }

    /// An integer JSON number (NSNumber of an integral value), rejecting fractions and strings.
    private static func exactInt(_ value: Any) -> Int? {
        if let number = value as? Int { return number }
        if let number = value as? Double, number.rounded() == number, abs(number) < 9.0e15 { return Int(number) }
        return nil
    }
}
