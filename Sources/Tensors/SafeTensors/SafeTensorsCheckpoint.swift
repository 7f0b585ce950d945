import Foundation
import PipeBasics

/// A Hugging Face checkpoint's weights: one `model.safetensors`, or shards listed by `model.safetensors.index.json`.
///
/// Reading opens (memory-maps) every shard and checks the index against them: each tensor the index maps must be in
/// the shard it names. Writing splits tensors into shards of at most `maxShardBytes` (names
/// `model-00001-of-0000N.safetensors`, tensors in name order) and writes the index with `metadata.total_size` and a
/// sorted `weight_map`, as `transformers`' `save_pretrained` does; every file is written atomically.
public final class SafeTensorsCheckpoint: Sendable {
    /// Single-file weights name.
    public static let singleFileName = "model.safetensors"
    /// Shard index name.
    public static let indexFileName = "model.safetensors.index.json"

    /// The checkpoint directory.
    public let directory: String
    /// The opened files, by file name.
    public let files: [String: SafeTensorsFile]
    /// Tensor name → file name.
    public let weightMap: [String: String]

    /// Opens the weights in `directory` (sharded if the index exists, else `model.safetensors`).
    public init(directory: String) throws {
        self.directory = directory
        let indexPath = directory + "/" + Self.indexFileName
        if FileManager.default.fileExists(atPath: indexPath) {
            let map = try Self.readIndex(path: indexPath)
            var files: [String: SafeTensorsFile] = [:]
            for shard in Set(map.values).sorted() {
                let shardPath = directory + "/" + shard
                guard FileManager.default.fileExists(atPath: shardPath) else {
                    throw SafeTensorsError(.invalidIndex, path: indexPath, "shard '\(shard)' listed in weight_map does not exist")
                }
                files[shard] = try SafeTensorsFile(path: shardPath)
            }
            for (name, shard) in map where !files[shard]!.contains(name) {
                throw SafeTensorsError(.invalidIndex, path: indexPath,
                                       "weight_map puts '\(name)' in \(shard), which does not hold it")
            }
            self.files = files
            self.weightMap = map
        } else {
            let path = directory + "/" + Self.singleFileName
            guard FileManager.default.fileExists(atPath: path) else {
                throw SafeTensorsError(.unreadable, path: directory,
                                       "no \(Self.singleFileName) or \(Self.indexFileName); is this a Hugging Face checkpoint directory?")
            }
            let file = try SafeTensorsFile(path: path)
            self.files = [Self.singleFileName: file]
            self.weightMap = Dictionary(uniqueKeysWithValues: file.names.map { ($0, Self.singleFileName) })
        }
    }

    /// Every tensor name, sorted.
    public var names: [String] { weightMap.keys.sorted() }

    /// The file holding `name`; throws `.missingTensor` if no file does.
    public func file(containing name: String) throws -> SafeTensorsFile {
        guard let fileName = weightMap[name], let file = files[fileName] else {
            throw SafeTensorsError(.missingTensor, path: directory, "no tensor named '\(name)' in the checkpoint")
        }
        return file
    }

    /// Header entry of `name`.
    public func info(_ name: String) throws -> SafeTensorInfo { try file(containing: name).info(name) }

    /// `name` as Float32 values.
    public func floats(_ name: String) throws -> [Float] { try file(containing: name).floats(name) }

    /// Drops the mapped pages of `name` from the resident set once it has been converted (`SafeTensorsFile`).
    public func releasePages(_ name: String) throws { try file(containing: name).releasePages(name) }

    /// `name` as an entry ready to write.
    public func entry(_ name: String) throws -> SafeTensorsEntry { try file(containing: name).entry(name) }

    /// Parses an index file into tensor name → shard file name.
    public static func readIndex(path: String) throws -> [String: String] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw SafeTensorsError(.unreadable, path: path, "cannot read: \(error.localizedDescription)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw SafeTensorsError(.invalidIndex, path: path, "not a JSON object")
        }
        guard let map = object["weight_map"] as? [String: Any] else {
            throw SafeTensorsError(.invalidIndex, path: path, "missing 'weight_map' object")
        }
        var result: [String: String] = [:]
        for (name, value) in map {
            guard let shard = value as? String, !shard.contains("/") else {
                throw SafeTensorsError(.invalidIndex, path: path,
                                       "weight_map.\(name) must be a shard file name in the same directory")
            }
            result[name] = shard
        }
        return result
    }

    /// Writes `tensors` into `directory` as one file, or as shards plus an index when they exceed `maxShardBytes`.
    /// Returns the file names written. Stale weight files of the other layout are removed so readers are not misled.
    @discardableResult
    public static func write(_ tensors: [String: SafeTensorsEntry], to directory: String,
                             maxShardBytes: Int = 5_000_000_000,
                             metadata: [String: String] = SafeTensorsWriter.pytorchMetadata) throws -> [String] {
        let names = tensors.keys.sorted()
        var shards: [[String]] = [[]]
        var shardBytes = 0
        for name in names {
            let size = tensors[name]!.bytes.count
            if !shards[shards.count - 1].isEmpty && shardBytes + size > maxShardBytes {
                shards.append([])
                shardBytes = 0
            }
            shards[shards.count - 1].append(name)
            shardBytes += size
        }
        let indexPath = directory + "/" + indexFileName
        if shards.count == 1 {
            try SafeTensorsWriter.write(tensors, to: directory + "/" + singleFileName, metadata: metadata)
            try? FileManager.default.removeItem(atPath: indexPath)
            removeStaleShards(in: directory, keeping: [])
            return [singleFileName]
        }
        var weightMap: [String: String] = [:]
        var fileNames: [String] = []
        for (number, shard) in shards.enumerated() {
            let fileName = String(format: "model-%05d-of-%05d.safetensors", number + 1, shards.count)
            var subset: [String: SafeTensorsEntry] = [:]
            for name in shard {
                subset[name] = tensors[name]
                weightMap[name] = fileName
            }
            try SafeTensorsWriter.write(subset, to: directory + "/" + fileName, metadata: metadata)
            fileNames.append(fileName)
        }
        let totalSize = tensors.values.reduce(0) { $0 + $1.bytes.count }
        try SafeTensorsError.writing(indexPath) {
            try AtomicFileWriter.write(indexJSON(totalSize: totalSize, weightMap: weightMap), to: indexPath)
        }
        try? FileManager.default.removeItem(atPath: directory + "/" + singleFileName)
        removeStaleShards(in: directory, keeping: Set(fileNames))
        return fileNames + [indexFileName]
    }

    /// Deletes `model-NNNNN-of-NNNNN.safetensors` files a previous write left that the new layout does not use.
    private static func removeStaleShards(in directory: String, keeping: Set<String>) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix("model-") && name.hasSuffix(".safetensors") && name.contains("-of-")
            && !keeping.contains(name) {
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }

    /// The index file's bytes: `{"metadata": {"total_size": N}, "weight_map": {…sorted…}}`, indented by 2.
    static func indexJSON(totalSize: Int, weightMap: [String: String]) -> [UInt8] {
        let index = JSONValue.object([
            ("metadata", .object([("total_size", .int(totalSize))])),
            ("weight_map", .object(weightMap.keys.sorted().map { ($0, .string(weightMap[$0]!)) })),
        ])
        return Array((index.text(JSONFormat(layout: .indented(2))) + "\n").utf8)
    }
}
