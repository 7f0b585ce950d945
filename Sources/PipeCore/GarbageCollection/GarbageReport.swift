import Foundation
import PipeBasics

/// What `pipe gc` removed (or, dry, would remove) and what it kept.
public struct GarbageReport: Sendable {
    /// True when nothing was removed because `--dry` was given.
    public var dry: Bool
    /// Where the kept locks came from, in the order considered.
    public var sources: [String]
    /// Objects removed (or that would be), sorted by name (`ab12….dir` for manifests).
    public var removed: [String] = []
    /// Bytes those objects held.
    public var removedBytes: Int64 = 0
    /// Objects left in the store.
    public var keptObjects = 0
    /// Bytes the kept objects hold.
    public var keptBytes: Int64 = 0
    /// Directory manifests that could not be read (see `ReachableObjects.warnings`).
    public var warnings: [String] = []
    /// Run-cache entries kept (their objects are among the kept ones).
    public var runCacheEntriesKept = 0
    /// Run-cache entries removed (or that would be), with why.
    public var runCacheEntriesRemoved: [RunCacheRetention.Dropped] = []
    /// Kept objects that only run-cache entries name: what `--drop-run-cache` would free.
    public var runCacheOnlyObjects = 0
    /// Bytes those objects hold.
    public var runCacheOnlyBytes: Int64 = 0

    /// An empty report.
    public init(dry: Bool, sources: [String]) {
        self.dry = dry
        self.sources = sources
    }

    /// For a person: `Removed 3 objects (1.2 KiB); kept 10 objects (4.0 MiB) named by 2 locks and 4 run-cache
    /// entries.`, then, when they apply, a line on run-cache entries removed and one on what only the run cache keeps.
    public var summary: String {
        let verb = dry ? "Would remove" : "Removed"
        var text = "\(verb) \(Self.count(removed.count, "object")) (\(Self.bytes(removedBytes))); "
            + "kept \(Self.count(keptObjects, "object")) (\(Self.bytes(keptBytes))) named by \(Self.count(sources.count, "lock"))"
            + (runCacheEntriesKept > 0 ? " and \(Self.count(runCacheEntriesKept, "run-cache entry", "run-cache entries"))." : ".")
        if !runCacheEntriesRemoved.isEmpty {
            text += "\n\(verb) \(Self.count(runCacheEntriesRemoved.count, "run-cache entry", "run-cache entries"))."
        }
        if runCacheOnlyObjects > 0 {
            text += "\n\(Self.count(runCacheOnlyObjects, "kept object")) (\(Self.bytes(runCacheOnlyBytes))) "
                + "\(runCacheOnlyObjects == 1 ? "is" : "are") named only by the run cache; `pipe gc --drop-run-cache` removes "
                + "\(runCacheOnlyObjects == 1 ? "it" : "them") (later runs of those configurations then rerun)."
        }
        return text
    }

    /// The report as one stable JSON object:
    /// `{"schema":1,"dry":…,"removed":{"objects":N,"bytes":B,"ids":[…]},"kept":{"objects":N,"bytes":B},"sources":[…],
    /// "warnings":[…],"runCache":{"kept":N,"removed":[{"key":K,"reason":R}…],"onlyObjects":N,"onlyBytes":B}}`.
    public var json: String {
        func list(_ items: [String]) -> JSONValue { .array(items.map { .string($0) }) }
        let dropped = runCacheEntriesRemoved.map { JSONValue.object([("key", .string($0.key.hex)), ("reason", .string($0.reason))]) }
        let report = JSONValue.object([
            ("schema", .int(1)), ("dry", .bool(dry)),
            ("removed", .object([("objects", .int(removed.count)), ("bytes", .int(Int(removedBytes))), ("ids", list(removed))])),
            ("kept", .object([("objects", .int(keptObjects)), ("bytes", .int(Int(keptBytes)))])),
            ("sources", list(sources)), ("warnings", list(warnings)),
            ("runCache", .object([("kept", .int(runCacheEntriesKept)), ("removed", .array(dropped)),
                                  ("onlyObjects", .int(runCacheOnlyObjects)), ("onlyBytes", .int(Int(runCacheOnlyBytes)))])),
        ])
        return report.text(.compact) + "\n"
    }

    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
    }

    /// Bytes in binary units, one decimal (`512 B`, `1.5 KiB`, `3.0 MiB`).
    static func bytes(_ n: Int64) -> String {
        if n < 1024 { return "\(n) B" }
        var value = Double(n) / 1024
        for unit in ["KiB", "MiB", "GiB"] {
            if value < 1024 { return String(format: "%.1f %@", value, unit) }
            value /= 1024
        }
        return String(format: "%.1f TiB", value)
    }
}
