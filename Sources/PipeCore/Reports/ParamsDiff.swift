/// `pipe params diff`: params values on two sides, by file and dotted leaf key, with what changed.
///
/// The default compares the values recorded in `pipe.lock` with the workspace's params files (what `pipe repro`
/// would see); with revisions it compares the params files of two git revisions (or one and the workspace).
public struct ParamsDiff: Sendable, Equatable {
    /// One param on both sides; a side where the param does not exist holds nil.
    public struct Row: Sendable, Equatable {
        /// Repo-relative params file.
        public var file: String
        /// Dotted leaf key.
        public var key: String
        /// Value on the old side.
        public var old: ParamValue?
        /// Value on the new side.
        public var new: ParamValue?

        /// Whether the two sides differ (a value appeared, vanished or changed).
        public var changed: Bool { old != new }
    }

    /// Name of the old side (`lock` or a revision).
    public var oldName: String
    /// Name of the new side (`workspace` or a revision).
    public var newName: String
    /// Every param of either side, sorted by file then key.
    public var rows: [Row]

    /// Compares two flat value maps keyed by (file, dotted key).
    public init(oldName: String, old: [ParamKey: ParamValue], newName: String, new: [ParamKey: ParamValue]) {
        self.oldName = oldName
        self.newName = newName
        rows = Set(old.keys).union(new.keys).sorted().map { Row(file: $0.file, key: $0.key, old: old[$0], new: new[$0]) }
    }

    /// The rows to show: only changed ones unless `all`.
    public func visibleRows(all: Bool) -> [Row] { all ? rows : rows.filter(\.changed) }

    /// The table `pipe params diff` prints: Path, Param, old side, new side.
    public func table(all: Bool, precision: Int = 5) -> ReportTable {
        ReportTable(header: ["Path", "Param", oldName, newName],
                    rows: visibleRows(all: all).map {
                        [$0.file, $0.key, FlatValues.cell($0.old, precision: precision),
                         FlatValues.cell($0.new, precision: precision)]
                    })
    }

    /// DVC's JSON shape: `{"params.yaml": {"train.lr": {"old": 0.1, "new": 0.2, "diff": 0.1}}}`, absent values
    /// as null; `diff` (new − old, an integer between integers) only when both sides are numbers, as in DVC.
    public func json(all: Bool) -> String {
        FlatValues.jsonByFile(visibleRows(all: all).map { row in
            var cell: [(String, ParamValue)] = [("old", row.old ?? .null), ("new", row.new ?? .null)]
            if let change = Self.change(from: row.old, to: row.new) { cell.append(("diff", change)) }
            return (row.file, row.key, .dict(cell))
        })
    }

    /// `new - old` when both are numbers (Python's arithmetic: int − int stays an int), else nil.
    static func change(from old: ParamValue?, to new: ParamValue?) -> ParamValue? {
        switch (old, new) {
        case let (.int(a)?, .int(b)?): .int(b &- a)
        case let (.int(a)?, .double(b)?): .double(b - Double(a))
        case let (.double(a)?, .int(b)?): .double(Double(b) - a)
        case let (.double(a)?, .double(b)?): .double(b - a)
        default: nil
        }
    }
}

/// A params key qualified by its file: what one row of a params diff is about.
public struct ParamKey: Sendable, Hashable, Comparable {
    /// Repo-relative params file.
    public var file: String
    /// Dotted leaf key.
    public var key: String

    /// The key `key` of `file`.
    public init(file: String, key: String) {
        self.file = file
        self.key = key
    }

    /// Ordered by file, then key: the order diff rows print in.
    public static func < (a: ParamKey, b: ParamKey) -> Bool { (a.file, a.key) < (b.file, b.key) }
}

extension ParamsDiff {
    /// The leaf values the stages of `pipeline` declare, read from its params files.
    public static func declared(in pipeline: Pipeline) -> [ParamKey: ParamValue] {
        var out: [ParamKey: ParamValue] = [:]
        for stage in pipeline.stages {
            for (file, pairs) in pipeline.paramValues(for: stage) {
                for (key, value) in pairs {
                    for leaf in FlatValues.flatten(value, prefix: key) { out[ParamKey(file: file, key: leaf.key)] = leaf.value }
                }
            }
        }
        return out
    }

    /// Every leaf value of every params file `pipeline` reads (DVC's default: whole files, not only declared keys).
    public static func allValues(in pipeline: Pipeline) -> [ParamKey: ParamValue] {
        var out: [ParamKey: ParamValue] = [:]
        for (file, root) in pipeline.paramsFiles {
            for leaf in FlatValues.flatten(root) where !leaf.key.isEmpty { out[ParamKey(file: file, key: leaf.key)] = leaf.value }
        }
        return out
    }

    /// The leaf values `lock` recorded. A param recorded by several stages takes the value of the first stage
    /// in `order` (pipeline order), then of the remaining entries by name.
    public static func locked(in lock: LockFile, order: [String]) -> [ParamKey: ParamValue] {
        var out: [ParamKey: ParamValue] = [:]
        let names = order.filter { lock.stages[$0] != nil } + lock.stages.keys.sorted().filter { !order.contains($0) }
        for name in names {
            for (file, params) in lock.stages[name]!.params {
                for param in params {
                    for leaf in FlatValues.flatten(param.value, prefix: param.key) {
                        let key = ParamKey(file: file, key: leaf.key)
                        if out[key] == nil { out[key] = leaf.value }
                    }
                }
            }
        }
        return out
    }

    /// Lock against workspace: what `pipe params diff` shows with no revision.
    public static func lockVersusWorkspace(_ workspace: RepoSnapshot) -> ParamsDiff {
        ParamsDiff(oldName: "lock", old: locked(in: workspace.lock, order: workspace.pipeline.stages.map(\.name)),
                   newName: workspace.name, new: declared(in: workspace.pipeline))
    }

    /// Two sides' params files; `onlyDeclared` restricts to keys the stages declare (`--deps`).
    public static func between(_ old: RepoSnapshot, _ new: RepoSnapshot, onlyDeclared: Bool) -> ParamsDiff {
        let pick = onlyDeclared ? declared(in:) : allValues(in:)
        return ParamsDiff(oldName: old.name, old: pick(old.pipeline), newName: new.name, new: pick(new.pipeline))
    }
}
