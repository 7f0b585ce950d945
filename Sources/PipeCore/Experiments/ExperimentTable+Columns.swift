/// Which params and metrics `pipe exp show` prints as columns, as DVC's `exp show` chooses them: `--only-changed`,
/// `--keep` and `--drop` (regular expressions matched from the start of a column name, like Python's `re.match`),
/// plus `--keys`, globs naming the params and metrics to show.
public struct ExperimentColumnSelection: Sendable, Equatable {
    /// Only the columns whose values differ between the rows shown (params and metrics alike).
    public var onlyChanged = false
    /// Globs (`sft.*`, `*accuracy`); when given, the columns are every param and metric one of them matches, by
    /// the column's whole name or, for `file:key`, by the key alone. A glob matching no column is an error.
    public var keys: [String] = []
    /// Columns matching this regex are shown whatever the other options say.
    public var keep: String?
    /// Columns matching this regex are hidden (`Created` too), unless `keep` matches them.
    public var drop: String?

    /// A selection; the default one shows what `pipe exp show` always did.
    public init(onlyChanged: Bool = false, keys: [String] = [], keep: String? = nil, drop: String? = nil) {
        self.onlyChanged = onlyChanged
        self.keys = keys
        self.keep = keep
        self.drop = drop
    }

    /// Whether this is the default selection (no option given).
    public var isDefault: Bool { self == ExperimentColumnSelection() }
}

extension ExperimentTable {
    /// The table with its columns chosen by `selection`: `keys` (or else the default: params that differ, every
    /// metric), then `onlyChanged` and `drop` remove columns, then `keep` brings back any column it matches.
    /// Column order stays first-seen order. Rows and `--json`'s per-row values are unchanged.
    ///
    /// - Throws: `.usage` for a `keep`/`drop` that is not a valid regular expression, or a `keys` glob that
    ///   matches no param or metric.
    public func selecting(_ selection: ExperimentColumnSelection) throws -> ExperimentTable {
        guard !selection.isDefault else { return self }
        let keep = try selection.keep.map { try Self.regex($0, option: "--keep") }
        let drop = try selection.drop.map { try Self.regex($0, option: "--drop") }
        var params = paramColumns, metrics = metricColumns
        if !selection.keys.isEmpty {
            let globs = selection.keys.map { ($0, GlobPattern($0)) }
            for (text, glob) in globs where !(allParamColumns + allMetricColumns).contains(where: { Self.matches(glob, $0) }) {
                throw PipeError(.usage, "--keys '\(text)' matches no param or metric",
                                fix: "name columns as `pipe exp show` prints them, e.g. 'train.*' or '*accuracy' (`pipe exp show --json` lists every column)")
            }
            params = allParamColumns.filter { column in globs.contains { Self.matches($0.1, column) } }
            metrics = allMetricColumns.filter { column in globs.contains { Self.matches($0.1, column) } }
        }
        if selection.onlyChanged {
            params = params.filter { varies($0) }
            metrics = metrics.filter { varies($0, metric: true) }
        }
        if let drop {
            params = params.filter { !Self.matches(drop, $0) }
            metrics = metrics.filter { !Self.matches(drop, $0) }
        }
        func kept(_ column: String) -> Bool { keep.map { Self.matches($0, column) } ?? false }
        var table = self
        table.paramColumns = allParamColumns.filter { params.contains($0) || kept($0) }
        table.metricColumns = allMetricColumns.filter { metrics.contains($0) || kept($0) }
        table.showsCreated = !(drop.map { Self.matches($0, "Created") } ?? false) || kept("Created")
        return table
    }

    /// Whether `glob` matches `column` whole, or the key of a `file:key` column.
    static func matches(_ glob: GlobPattern, _ column: String) -> Bool {
        if glob.matches(column) { return true }
        guard let colon = column.lastIndex(of: ":") else { return false }
        return glob.matches(String(column[column.index(after: colon)...]))
    }

    /// Whether `regex` matches at the start of `column` (Python's `re.match`, which DVC uses).
    static func matches(_ regex: Regex<AnyRegexOutput>, _ column: String) -> Bool {
        (try? regex.prefixMatch(in: column)) != nil
    }

    static func regex(_ pattern: String, option: String) throws -> Regex<AnyRegexOutput> {
        do {
            return try Regex(pattern)
        } catch {
            throw PipeError(.usage, "\(option) '\(pattern)' is not a valid regular expression",
                            fix: "escape special characters, e.g. 'train\\.lr' or 'reports/.*'", cause: "\(error)")
        }
    }
}
