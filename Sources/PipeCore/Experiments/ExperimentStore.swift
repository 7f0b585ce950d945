import Foundation
import PipeBasics

/// The recorded experiments of a repository: one JSON file per experiment under `.cache/exps/`.
public struct ExperimentStore: Sendable {
    /// `<cacheRoot>/exps`.
    public let directory: URL

    /// The store of the repository whose cache is `cacheRoot`.
    public init(cacheRoot: URL) {
        directory = cacheRoot.appendingPathComponent("exps")
    }

    /// Every experiment, oldest first (creation time, then name, then id).
    ///
    /// - Throws: the record's parse error when a file in the store is damaged.
    public func all() throws -> [ExperimentRecord] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var records: [ExperimentRecord] = []
        for name in names where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            records.append(try ExperimentRecord(parsing: String(decoding: data, as: UTF8.self), file: ".cache/exps/\(name)"))
        }
        return records.sorted { ($0.created, $0.name, $0.id) < ($1.created, $1.name, $1.id) }
    }

    /// Writes `record` as `<id>.json`, atomically.
    public func save(_ record: ExperimentRecord) throws {
        try AtomicFile.write(Data(record.jsonText().utf8), to: directory.appendingPathComponent("\(record.id).json"))
    }

    /// The experiment called `name` (or whose id starts with it, at least 5 hex digits).
    ///
    /// - Throws: `.usage` naming the closest experiment when there is none.
    public func find(_ name: String) throws -> ExperimentRecord {
        let records = try all()
        if let hit = records.first(where: { $0.name == name }) { return hit }
        let byID = records.filter { name.count >= 5 && $0.id.hasPrefix(name.lowercased()) }
        if byID.count == 1 { return byID[0] }
        let hint = DidYouMean.closest(to: name, in: records.map(\.name)).map { "did you mean '\($0)'? " } ?? ""
        throw PipeError(.usage, "no experiment named '\(name)'",
                        fix: records.isEmpty ? "run one first with `pipe exp run`"
                            : "\(hint)`pipe exp show` lists the \(records.count) recorded experiment\(records.count == 1 ? "" : "s")")
    }

    /// Fails when `name` is not a valid experiment name or another experiment has it already.
    public func checkAvailable(_ name: String) throws {
        guard ExperimentRecord.isValidName(name) else {
            throw PipeError(.usage, "'\(name)' is not a valid experiment name",
                            fix: "use letters, digits, '.', '_' and '-', starting with a letter or digit")
        }
        if try all().contains(where: { $0.name == name }) {
            throw PipeError(.usage, "an experiment named '\(name)' already exists",
                            fix: "choose another name with -n, or `pipe exp apply \(name)` to bring it back")
        }
    }
}
