import Foundation

/// What recording an experiment produced.
public struct RecordedExperiment: Sendable {
    /// The record as stored.
    public var record: ExperimentRecord
    /// False when an identical experiment was recorded before (its record is kept as it was).
    public var isNew: Bool
    /// Metrics files that could not be read (their values are not recorded), as messages for a person.
    public var warnings: [String]
}

/// Limit on an uncached metrics or plots file kept in a record for `exp apply`.
let experimentFileLimit = 1 << 20

extension Project {
    /// The experiments of this repository.
    public var experiments: ExperimentStore { ExperimentStore(cacheRoot: workspace.cacheRoot) }

    /// Params files an experiment records: every file the pipeline reads params from, `params.yaml` when it
    /// exists, and the files named by `extra` (the overrides), sorted.
    func experimentParamsFiles(extra: [String] = []) -> [String] {
        var files = Set(pipeline.paramsFiles.keys).union(extra)
        if FileManager.default.fileExists(atPath: workspace.url("params.yaml").path) { files.insert("params.yaml") }
        return files.sorted()
    }

    /// The metrics of the workspace as it is now: every declared `metrics:` file, flattened.
    ///
    /// - Returns: metrics by file (files that do not exist are left out) and a warning per unreadable file.
    public func currentMetrics() -> (metrics: [String: [(String, ParamValue)]], warnings: [String]) {
        var metrics: [String: [(String, ParamValue)]] = [:]
        var warnings: [String] = []
        for stage in pipeline.stages {
            for out in stage.outs where out.kind == .metric {
                do {
                    if let values = try MetricsReader.read(out.path, repoRoot: workspace.root) { metrics[out.path] = values }
                } catch let error as PipeError {
                    warnings.append("\(error.description)\n  (metrics of \(out.path) are not recorded)")
                } catch {
                    warnings.append("\(out.path): \(error) (its metrics are not recorded)")
                }
            }
        }
        return (metrics, warnings)
    }

    /// The full params of the workspace as it is now, by file.
    public func currentParams(extra: [String] = []) throws -> [String: ParamValue] {
        var loader = ParamsLoader(repoRoot: workspace.root)
        var params: [String: ParamValue] = [:]
        for file in experimentParamsFiles(extra: extra) { params[file] = try loader.load(file) }
        return params
    }

    /// Records the workspace as an experiment (after `exp run` reproduced it): params, metrics, the lock and
    /// the texts `exp apply` restores. An identical experiment already recorded is returned as it is.
    public func recordExperiment(name explicitName: String?, overrides: [ParamsOverride], now: Date = Date()) throws -> RecordedExperiment {
        var files: [String: String] = [:]
        for file in experimentParamsFiles(extra: overrides.map(\.file)) {
            if let data = FileManager.default.contents(atPath: workspace.url(file).path) {
                files[file] = String(decoding: data, as: UTF8.self)
            }
        }
        for stage in pipeline.stages {
            for out in stage.outs where !out.cache && out.kind != .out {
                let url = workspace.url(out.path)
                guard let data = FileManager.default.contents(atPath: url.path), data.count <= experimentFileLimit,
                      let text = String(data: data, encoding: .utf8) else { continue }
                files[out.path] = text
            }
        }
        let lockText = FileManager.default.contents(atPath: workspace.lockURL.path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let id = ExperimentRecord.contentID(lock: lockText, files: files, explicitName: explicitName)
        let store = experiments
        let existing = try store.all()
        if let same = existing.first(where: { $0.id == id }) {
            return RecordedExperiment(record: same, isNew: false, warnings: [])
        }
        var name = explicitName ?? ""
        if explicitName == nil {
            var length = 5
            repeat {
                name = "exp-" + id.prefix(length)
                length += 1
            } while existing.contains(where: { $0.name == name })
        } else if existing.contains(where: { $0.name == name }) {
            try store.checkAvailable(name)
        }
        let (metrics, warnings) = currentMetrics()
        let record = ExperimentRecord(
            id: id, name: name, created: Self.timestamp(now), baseCommit: GitRunner.headCommit(in: workspace.root),
            overrides: overrides, params: try currentParams(extra: overrides.map(\.file)), metrics: metrics,
            files: files, lock: lockText)
        try store.save(record)
        return RecordedExperiment(record: record, isNew: true, warnings: warnings)
    }

    /// `2026-11-25T22:03:21.123Z`: milliseconds, so experiments run in the same second keep their order.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// `pipe exp apply`: restores the experiment's params files, uncached metrics and `pipe.lock` into the
    /// workspace (each atomically), then checks its outputs out of the cache.
    ///
    /// - Returns: the experiment, the files rewritten, and the checkout result.
    /// - Throws: `.usage` for an unknown name (with did-you-mean), `.invalidValue` for a record naming a path
    ///   outside the repository.
    public static func applyExperiment(named name: String, in workspace: Workspace) throws
        -> (record: ExperimentRecord, written: [String], checkout: CheckoutResult) {
        let record = try ExperimentStore(cacheRoot: workspace.cacheRoot).find(name)
        var targets: [(String, String)] = []
        for path in record.files.keys.sorted() {
            let normal = try RepoPath.resolve(path, in: ".", location: nil, keyPath: "files")
            guard normal == path, normal != "." else {
                throw PipeError(.invalidValue, "experiment '\(record.name)' names the path '\(path)', which is not a plain repo-relative path",
                                fix: "delete .cache/exps/\(record.id).json")
            }
            targets.append((path, record.files[path]!))
        }
        _ = try LockFile.parse(record.lock, file: ".cache/exps/\(record.id).json (lock)")
        var written: [String] = []
        for (path, text) in targets {
            let url = workspace.url(path)
            if FileManager.default.contents(atPath: url.path) == Data(text.utf8) { continue }
            try AtomicFile.write(Data(text.utf8), to: url)
            written.append(path)
        }
        if FileManager.default.contents(atPath: workspace.lockURL.path) != Data(record.lock.utf8) {
            try AtomicFile.write(Data(record.lock.utf8), to: workspace.lockURL)
            written.append("pipe.lock")
        }
        let project = try Project.open(from: workspace.root, validateDeps: false)
        return (record, written, try project.checkout())
    }
}
