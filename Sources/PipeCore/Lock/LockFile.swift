/// The recorded state of every stage that has run: what `pipe.lock` holds (design §3).
///
/// A stage is up to date when what it would read and write now equals its entry here.
public struct LockFile: Sendable, Equatable {
    /// Format version written as `schema:`; bumped on incompatible changes.
    public static let currentSchema = 1

    public var schema: Int
    /// Entries by stage name; written sorted by name.
    public var stages: [String: LockedStage]

    public init(schema: Int = LockFile.currentSchema, stages: [String: LockedStage] = [:]) {
        self.schema = schema
        self.stages = stages
    }
}

/// One stage's entry: its command, the hashes of what it read and wrote, and the params values it saw.
public struct LockedStage: Sendable, Equatable {
    public var cmd: String
    /// Sorted by path.
    public var deps: [LockedPath]
    /// Params values by file, then by dotted key; keys sorted.
    public var params: [String: [LockedParam]]
    /// Sorted by path.
    public var outs: [LockedPath]

    public init(cmd: String, deps: [LockedPath], params: [String: [LockedParam]], outs: [LockedPath]) {
        self.cmd = cmd
        self.deps = deps.sorted { $0.path < $1.path }
        self.params = params.mapValues { $0.sorted { $0.key < $1.key } }
        self.outs = outs.sorted { $0.path < $1.path }
    }

    public func dep(_ path: String) -> LockedPath? { deps.first { $0.path == path } }
    public func out(_ path: String) -> LockedPath? { outs.first { $0.path == path } }
    public func param(file: String, key: String) -> ParamValue? {
        params[file]?.first { $0.key == key }?.value
    }
}

/// A dependency or output as recorded: its XXH3-128 hash, byte size and, for a directory, its file count.
public struct LockedPath: Sendable, Equatable {
    public var path: String
    public var hash: ContentHash
    public var size: Int64
    /// Number of files for a directory; nil for a file.
    public var nfiles: Int?

    public init(path: String, hash: ContentHash, size: Int64, nfiles: Int? = nil) {
        self.path = path
        self.hash = hash
        self.size = size
        self.nfiles = nfiles
    }

    public var isDirectory: Bool { nfiles != nil }
}

/// A params value a stage saw, by dotted key.
public struct LockedParam: Sendable, Equatable {
    public var key: String
    public var value: ParamValue

    public init(key: String, value: ParamValue) {
        self.key = key
        self.value = value
    }
}
