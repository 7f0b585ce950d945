/// One HTTP request as the project sends it: method, an already-encoded path and query, headers, and a body that
/// is either small bytes or a region of a file streamed from disk (so a 1 GiB upload never sits in memory).
public struct HTTPRequest: Sendable {
    /// `GET`, `PUT`, `POST`, `DELETE`, `HEAD`.
    public var method: String
    /// `http` or `https`.
    public var scheme: String
    /// Host name or address, without port.
    public var host: String
    /// The port when not the scheme's default.
    public var port: Int?
    /// The percent-encoded path, starting with `/`.
    public var path: String
    /// The percent-encoded query without `?` (empty for none). Never shown in errors: it may hold a signature.
    public var query: String
    /// Headers in order; the `Host` header is added from `host`/`port` when absent.
    public var headers: [(name: String, value: String)]
    /// What is sent.
    public var body: HTTPRequestBody

    /// A request; `query` and `path` must already be percent-encoded.
    public init(method: String, scheme: String, host: String, port: Int?, path: String, query: String = "",
                headers: [(name: String, value: String)] = [], body: HTTPRequestBody = .empty) {
        self.method = method
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The value of the `Host` header: host, plus `:port` when the port is not the scheme's default.
    public var hostHeader: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        guard let port, port != (scheme == "https" ? 443 : 80) else { return shownHost }
        return "\(shownHost):\(port)"
    }

    /// The full URL sent on the wire.
    public var url: String { "\(scheme)://\(hostHeader)\(path)" + (query.isEmpty ? "" : "?\(query)") }

    /// What errors show: method, scheme, host and path, never the query.
    public var displayTarget: String { "\(method) \(scheme)://\(hostHeader)\(path)" }

    /// The value of a header (case-insensitive), if present.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}

/// What a request carries.
public enum HTTPRequestBody: Sendable {
    /// No body.
    case empty
    /// A small body held in memory (XML, JSON).
    case bytes([UInt8])
    /// `length` bytes of a file from `offset`, read in chunks as the connection accepts them.
    case file(path: String, offset: Int64, length: Int64)

    /// The body's length in bytes.
    public var length: Int64 {
        switch self {
        case .empty: 0
        case .bytes(let bytes): Int64(bytes.count)
        case .file(_, _, let length): length
        }
    }
}

/// Prepares a request just before each attempt (retries included): SigV4 signs it, a token client adds a bearer.
public protocol HTTPRequestSigner: Sendable {
    /// Adds the headers that authenticate `request`; called once per attempt, so time-stamped signatures are fresh.
    func sign(_ request: inout HTTPRequest)
}
