import Foundation

/// One recorded experiment, stored as `.cache/exps/<id>.json`: what was overridden, the params and metrics it
/// ended with, and the texts needed to bring it back (params files, uncached metrics, `pipe.lock`).
public struct ExperimentRecord: Sendable, Equatable {
    /// Format version of the record file.
    public static let currentSchema = 1

    /// Content hash (32 hex digits) of what the experiment produced; the file name.
    public var id: String
    /// `-n NAME`, or `exp-` and the first hex digits of the id.
    public var name: String
    /// When it was recorded, ISO 8601 in UTC with milliseconds (`2026-11-25T22:03:21.123Z`).
    public var created: String
    /// `git rev-parse HEAD` of the repository when it ran, when it is a git repository with a commit.
    public var baseCommit: String?
    /// The `-S` overrides in the order given.
    public var overrides: [ParamsOverride]
    /// The full contents of every params file, by repo-relative path.
    public var params: [String: ParamValue]
    /// Metrics by metrics file, then flattened dotted key (file order).
    public var metrics: [String: [(String, ParamValue)]]
    /// Texts restored by `pipe exp apply`: the params files and small uncached metrics/plots, by path.
    public var files: [String: String]
    /// The resulting `pipe.lock`.
    public var lock: String

    /// A record with every field given.
    public init(id: String, name: String, created: String, baseCommit: String?, overrides: [ParamsOverride],
                params: [String: ParamValue], metrics: [String: [(String, ParamValue)]], files: [String: String],
                lock: String) {
        self.id = id
        self.name = name
        self.created = created
        self.baseCommit = baseCommit
        self.overrides = overrides
        self.params = params
        self.metrics = metrics
        self.files = files
        self.lock = lock
    }

    /// Equal when they serialise to the same JSON (params and metrics compared in file order).
    public static func == (a: ExperimentRecord, b: ExperimentRecord) -> Bool {
        a.jsonText() == b.jsonText()
    }

    /// The id of an experiment: XXH3-128 over the lock, the restorable files (sorted by path) and an explicit name.
    public static func contentID(lock: String, files: [String: String], explicitName: String?) -> String {
        var bytes: [UInt8] = Array("pipe-exp-1\u{0}".utf8) + Array(lock.utf8) + [0]
        for path in files.keys.sorted() {
            bytes += Array(path.utf8) + [0] + Array(files[path]!.utf8) + [0]
        }
        if let explicitName { bytes += Array("name\u{0}\(explicitName)".utf8) }
        return XXH3Hasher.hash(bytes).hex
    }

    /// Whether `name` may name an experiment: letters, digits, `.`, `_`, `-`, starting with a letter or digit.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIIAlphanumeric, name.utf8.count <= 100 else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || $0 == "." || $0 == "_" || $0 == "-" }
    }

    /// Every params value flattened to `file`-qualified dotted keys: `train.lr` for params.yaml, `other.yaml:key`
    /// otherwise; lists are values, not sections.
    public var flatParams: [(String, ParamValue)] { Self.flatten(params: params) }

    /// Flattens params files as `flatParams` does.
    public static func flatten(params: [String: ParamValue]) -> [(String, ParamValue)] {
        var out: [(String, ParamValue)] = []
        for file in params.keys.sorted() {
            let prefix = file == "params.yaml" ? "" : "\(file):"
            for leaf in FlatValues.flatten(params[file]!) where !leaf.key.isEmpty { out.append((prefix + leaf.key, leaf.value)) }
        }
        return out
    }

    /// Metrics flattened to columns: the key alone when one metrics file is declared, `file:key` otherwise.
    public static func flatten(metrics: [String: [(String, ParamValue)]]) -> [(String, ParamValue)] {
        var out: [(String, ParamValue)] = []
        let qualify = metrics.count > 1
        for file in metrics.keys.sorted() {
            for (k, v) in metrics[file]! { out.append((qualify ? "\(file):\(k)" : k, v)) }
        }
        return out
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIIAlphanumeric: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
    }
}
