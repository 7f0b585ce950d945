import Foundation

/// Where the tracking server is: scheme, host, port and an optional path prefix, parsed once from the tracking
/// URI (`MLFLOW_TRACKING_URI`) so every request is built from the same parts.
public struct MLflowEndpoint: Sendable, Equatable {
    /// `http` or `https`.
    public var scheme: String
    /// Host name or address.
    public var host: String
    /// The port, when given.
    public var port: Int?
    /// The path before `/api/…`, without a trailing slash (empty for none).
    public var basePath: String

    /// Parses `http(s)://host[:port][/prefix]`; user info in the URL is rejected (credentials go in
    /// `MLFLOW_TRACKING_TOKEN` or `MLFLOW_TRACKING_USERNAME`/`PASSWORD`, never in a URL that may be printed).
    public init(uri: String) throws(MLflowError) {
        guard let components = URLComponents(string: uri), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https" else {
            throw .invalidURI(uri, reason: "only http and https tracking servers are supported")
        }
        guard let host = components.host, !host.isEmpty else { throw .invalidURI(uri, reason: "no host") }
        guard components.user == nil, components.password == nil else {
            throw .invalidURI(String(uri.prefix { $0 != ":" }) + "://…",
                              reason: "credentials must not be in the URI; use MLFLOW_TRACKING_TOKEN or "
                                + "MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD")
        }
        self.scheme = scheme
        self.host = host
        self.port = components.port
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        self.basePath = path
    }

    /// The URI as it may be shown: scheme, host, port and prefix.
    public var display: String {
        "\(scheme)://\(host)" + (port.map { ":\($0)" } ?? "") + basePath
    }
}
