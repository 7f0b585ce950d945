import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Fetches a `file://` or `http(s)://` URL into a destination file, verifying an expected checksum before the
/// file appears: on a mismatch, an HTTP error or an unreachable host nothing is left at the destination.
public struct RemoteFetcher: Sendable {
    /// Seconds before a request with no answer fails.
    public var timeout: TimeInterval

    public init(timeout: TimeInterval = 30) {
        self.timeout = timeout
    }

    /// Fetches `url` to `destination` atomically; verifies `expected` when given and returns the actual checksum
    /// (sha256 when no algorithm is implied).
    @discardableResult
    public func fetch(_ url: URL, to destination: URL, expected: Checksum?) throws -> Checksum {
        let data = try download(url)
        let actual = Checksum.of(data: data, algorithm: expected?.algorithm ?? .sha256)
        if let expected, expected != actual {
            throw StageError(.checksumMismatch,
                             "\(url.absoluteString) has checksum \(actual) but params expect \(expected); nothing was written",
                             fix: "check that the URL serves the intended file, then update the checksum in params.yaml")
        }
        try AtomicOutput.write(data, to: destination)
        return actual
    }

    /// The bytes at `url`: read directly for `file://`, through URLSession for http(s).
    public func download(_ url: URL) throws -> Data {
        switch url.scheme?.lowercased() {
        case "file":
            do { return try Data(contentsOf: url) } catch {
                throw StageError(.badInput, "cannot read \(url.path): \(error.localizedDescription)",
                                 fix: "check the path of the file:// URL")
            }
        case "http", "https":
            return try httpGet(url)
        default:
            throw StageError(.badParams, "URL '\(url.absoluteString)' has an unsupported scheme",
                             fix: "use a file://, http:// or https:// URL, or a `local` path")
        }
    }

    private final class Box: @unchecked Sendable {
        var data: Data?
        var response: URLResponse?
        var error: Error?
    }

    private func httpGet(_ url: URL) throws -> Data {
        var request = URLRequest(url: url)
        request.timeoutInterval = timeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 4
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        session.dataTask(with: request) { data, response, error in
            box.data = data
            box.response = response
            box.error = error
            done.signal()
        }.resume()
        done.wait()
        if let error = box.error {
            throw StageError(.unreachable, "cannot fetch \(url.absoluteString): \(error.localizedDescription)",
                             fix: "check the URL and the network, or point the source at a local copy")
        }
        if let http = box.response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
            throw StageError(.unreachable, "fetching \(url.absoluteString) returned HTTP \(http.statusCode)",
                             fix: "check that the URL still serves the file")
        }
        return box.data ?? Data()
    }
}
