/// What can go wrong below the application protocol. Messages name the request as method + URL without its
/// query, and never include request headers, so no credential or signature can leak into an error.
public enum HTTPError: Error, Equatable, CustomStringConvertible {
    /// Could not connect (refused, no route, DNS), after `attempts` tries.
    case unreachable(target: String, reason: String, attempts: Int)
    /// Connected, but the request did not finish in time, after `attempts` tries.
    case timedOut(target: String, reason: String, attempts: Int)
    /// The connection broke mid-request, after `attempts` tries.
    case connectionLost(target: String, reason: String, attempts: Int)
    /// The body was longer than the caller allowed.
    case bodyTooLarge(target: String, limit: Int)
    /// A local file could not be read or written.
    case localFile(path: String, reason: String)
    /// A download was complete but its verifier rejected it; nothing was written under `path`.
    case verificationFailed(target: String, path: String, reason: String)
    /// The request could not be made at all (a bad URL, a protocol error); not retried.
    case failed(target: String, reason: String)

    /// A stable code tests can match.
    public var code: String {
        switch self {
        case .unreachable: "unreachable"
        case .timedOut: "timed-out"
        case .connectionLost: "connection-lost"
        case .bodyTooLarge: "body-too-large"
        case .localFile: "local-file"
        case .verificationFailed: "verification-failed"
        case .failed: "failed"
        }
    }

    public var description: String {
        switch self {
        case .unreachable(let target, let reason, let attempts):
            "\(target): cannot connect (\(reason)) after \(Self.tries(attempts)); check the endpoint URL and that "
                + "the server is running"
        case .timedOut(let target, let reason, let attempts):
            "\(target): timed out (\(reason)) after \(Self.tries(attempts)); the server or network is too slow, "
                + "retry later or raise the timeout"
        case .connectionLost(let target, let reason, let attempts):
            "\(target): connection lost (\(reason)) after \(Self.tries(attempts)); retry later"
        case .bodyTooLarge(let target, let limit):
            "\(target): response body larger than \(limit) bytes"
        case .localFile(let path, let reason):
            "\(path): \(reason)"
        case .verificationFailed(let target, let path, let reason):
            "\(target): download rejected (\(reason)); nothing was written to \(path)"
        case .failed(let target, let reason):
            "\(target): request failed (\(reason))"
        }
    }

    private static func tries(_ count: Int) -> String { count == 1 ? "1 attempt" : "\(count) attempts" }
}
