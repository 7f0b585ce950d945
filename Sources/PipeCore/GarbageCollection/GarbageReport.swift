import Foundation

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

    /// An empty report.
    public init(dry: Bool, sources: [String]) {
        self.dry = dry
        self.sources = sources
    }

    /// One line for a person: `Removed 3 objects (1.2 MB); kept 10 objects (4.0 MB).`
    public var summary: String {
        let verb = dry ? "Would remove" : "Removed"
        return "\(verb) \(removed.count) object\(removed.count == 1 ? "" : "s") (\(Self.bytes(removedBytes))); "
            + "kept \(keptObjects) object\(keptObjects == 1 ? "" : "s") (\(Self.bytes(keptBytes))) named by \(sources.count) lock\(sources.count == 1 ? "" : "s")."
    }

    /// The report as one stable JSON object:
    /// `{"schema":1,"dry":…,"removed":{"objects":N,"bytes":B,"ids":[…]},"kept":{"objects":N,"bytes":B},"sources":[…],"warnings":[…]}`.
    public var json: String {
        func list(_ items: [String]) -> String { "[" + items.map(ParamValue.jsonQuote).joined(separator: ",") + "]" }
        return "{\"schema\":1,\"dry\":\(dry),\"removed\":{\"objects\":\(removed.count),\"bytes\":\(removedBytes),\"ids\":\(list(removed))},"
            + "\"kept\":{\"objects\":\(keptObjects),\"bytes\":\(keptBytes)},\"sources\":\(list(sources)),\"warnings\":\(list(warnings))}\n"
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
