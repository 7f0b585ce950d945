/// Where requests go: scheme, host and port of an S3-compatible service, addressed path-style
/// (`http://host:port/bucket/key`), the form every custom endpoint (SeaweedFS, MinIO, Ceph) accepts.
public struct S3Endpoint: Sendable, Equatable, CustomStringConvertible {
    /// `http` or `https`.
    public let scheme: String
    /// Host name or address.
    public let host: String
    /// Port, when given in the URL.
    public let port: Int?

    /// Parses a remote's `endpoint_url` (`http(s)://host[:port]`, an optional trailing slash, no path).
    public init(url: String) throws(S3Error) {
        let parts = url.split(separator: "://", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["http", "https"].contains(parts[0].lowercased()) else {
            throw .invalidEndpoint(url)
        }
        var authority = parts[1]
        if authority.hasSuffix("/") { authority.removeLast() }
        guard !authority.isEmpty, !authority.contains("/"), !authority.contains("@"), !authority.contains("?") else {
            throw .invalidEndpoint(url)
        }
        var host = authority
        var port: Int?
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let number = Int(authority[authority.index(after: colon)...]), (1...65535).contains(number) else {
                throw .invalidEndpoint(url)
            }
            host = String(authority[..<colon])
            port = number
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw .invalidEndpoint(url) }
        self.scheme = parts[0].lowercased()
        self.host = host
        self.port = port
    }

    /// AWS's regional endpoint, `https://s3.<region>.amazonaws.com`.
    public static func aws(region: String) -> S3Endpoint {
        // A literal that always parses.
        try! S3Endpoint(url: "https://s3.\(region).amazonaws.com")
    }

    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(shownHost)" + (port.map { ":\($0)" } ?? "")
    }
}
