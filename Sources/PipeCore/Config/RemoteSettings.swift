import Foundation

/// One configured remote: where it is and its options, as `pipe remote list` shows it (secrets masked).
public struct RemoteSettings: Sendable, Equatable {
    /// Where a remote keeps its objects.
    public enum Location: Sendable, Equatable {
        /// An S3 bucket (or an S3-compatible one) and a key prefix without leading or trailing `/`.
        case s3(bucket: String, prefix: String)
        /// A directory on this machine (absolute, or relative to the repository root).
        case directory(String)
    }

    /// The remote's name, as `-r NAME` and per-out `remote: NAME` give it.
    public var name: String
    /// The URL as written: `s3://bucket/prefix`, `file:///path` or a plain path.
    public var url: String
    /// Every other option (`endpoint_url`, `region`, `profile`, `jobs`, credentials).
    public var options: [String: String]

    /// A remote's settings.
    public init(name: String, url: String, options: [String: String] = [:]) {
        self.name = name
        self.url = url
        self.options = options
    }

    /// The parsed location of `url`.
    ///
    /// - Throws: `.invalidValue` for an unsupported scheme or an S3 URL without a bucket.
    public var location: Location {
        get throws(PipeError) { try Self.location(of: url) }
    }

    /// The parsed location of a remote URL.
    public static func location(of url: String) throws(PipeError) -> Location {
        if url.hasPrefix("s3://") {
            let rest = url.dropFirst(5)
            let bucket = rest.prefix { $0 != "/" }
            guard !bucket.isEmpty else {
                throw PipeError(.invalidValue, "remote URL '\(url)' names no bucket",
                                fix: "write s3://BUCKET or s3://BUCKET/PREFIX")
            }
            let prefix = rest.dropFirst(bucket.count).split(separator: "/").joined(separator: "/")
            return .s3(bucket: String(bucket), prefix: prefix)
        }
        if url.hasPrefix("file://") {
            let path = String(url.dropFirst(7))
            guard path.hasPrefix("/") else {
                throw PipeError(.invalidValue, "remote URL '\(url)' must be file:///ABSOLUTE/PATH",
                                fix: "write an absolute path after file://, or a plain (relative) path")
            }
            return .directory(path)
        }
        if let colon = url.firstIndex(of: ":"), url[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" }),
           url[colon...].hasPrefix("://") {
            throw PipeError(.invalidValue, "unsupported remote URL scheme '\(url[..<colon])://'",
                            fix: "use s3://BUCKET/PREFIX (S3 or an S3-compatible endpoint_url) or a directory path")
        }
        guard !url.isEmpty else {
            throw PipeError(.invalidValue, "a remote URL cannot be empty", fix: "write s3://BUCKET/PREFIX or a directory path")
        }
        return .directory(url)
    }

    /// `options` with every secret replaced by `***`, for listings.
    public var maskedOptions: [(String, String)] {
        options.keys.sorted().map { key in (key, ProjectConfig.secretRemoteKeys.contains(key) ? "***" : options[key]!) }
    }

    /// `jobs` when set and valid: how many transfers may run at once.
    public var jobs: Int? { options["jobs"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } }
}
