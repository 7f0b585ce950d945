/// Something tensors can be read from by name: one safetensors file or a whole (possibly sharded) checkpoint.
public protocol SafeTensorsReading: Sendable {
    /// Where the tensors come from, for error messages.
    var sourcePath: String { get }
    /// Whether a tensor named `name` exists.
    func contains(_ name: String) -> Bool
    /// The header entry of `name`.
    func info(_ name: String) throws -> SafeTensorInfo
    /// `name` converted to Float32.
    func floats(_ name: String) throws -> [Float]
    /// `name`'s raw bytes.
    func bytes(_ name: String) throws -> [UInt8]
}

extension SafeTensorsFile: SafeTensorsReading {
    /// The file's path.
    public var sourcePath: String { path }
}

extension SafeTensorsCheckpoint: SafeTensorsReading {
    /// The checkpoint directory.
    public var sourcePath: String { directory }

    /// Whether any shard holds `name`.
    public func contains(_ name: String) -> Bool { weightMap[name] != nil }

    /// `name`'s raw bytes, from whichever shard holds it.
    public func bytes(_ name: String) throws -> [UInt8] { try file(containing: name).bytes(name) }
}
