/// What a push or fetch did: objects sent or received, those already in place, and every failure with its reason.
public struct TransferReport: Sendable, Equatable {
    /// One object that could not be transferred.
    public struct Failure: Sendable, Equatable {
        /// The object (`ab12…` or `ab12….dir`) and the out it belongs to.
        public var object: String
        /// The out's path.
        public var path: String
        /// Why, for a person.
        public var reason: String
    }

    /// Objects transferred.
    public var transferred = 0
    /// Bytes transferred.
    public var bytes: Int64 = 0
    /// Objects that were already where they were going.
    public var alreadyPresent = 0
    /// Out paths whose objects are in neither place that was looked at (e.g. not in the local cache on push).
    public var missing: [String] = []
    /// Objects that failed.
    public var failures: [Failure] = []

    /// An empty report.
    public init() {}

    /// Adds `other`'s counts and lists to this report.
    public mutating func merge(_ other: TransferReport) {
        transferred += other.transferred
        bytes += other.bytes
        alreadyPresent += other.alreadyPresent
        missing += other.missing
        failures += other.failures
    }

    /// `3 objects pushed (1.2 MB), 5 already on the remote` and the like.
    public func summary(verb: String, place: String) -> String {
        var text = "\(transferred) object\(transferred == 1 ? "" : "s") \(verb)"
        if transferred > 0 { text += " (\(ByteCount.text(bytes)))" }
        text += ", \(alreadyPresent) already \(place)"
        if !failures.isEmpty { text += ", \(failures.count) failed" }
        return text
    }
}

/// Byte counts for people: `1.2 MB`, decimal units as transfer tools print them.
public enum ByteCount {
    /// `n` bytes as `512 B`, `1.2 kB`, `3.4 MB`, `5.6 GB`.
    public static func text(_ n: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(n)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(n) B" : String(format: "%.1f", value) + " " + units[unit]
    }
}
