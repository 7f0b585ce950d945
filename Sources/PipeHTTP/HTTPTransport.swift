import AsyncHTTPClient
import NIOCore
import NIOPosix

/// The project's one HTTP client: a pool of keep-alive connections over async-http-client, requests with bodies
/// streamed from files, responses collected with a cap or streamed into a file, per-request timeouts, and
/// retries with backoff on connection failures, timeouts and retryable statuses (`HTTPRetryPolicy`).
///
/// Owns its `HTTPClient`; use `withTransport(_:_:)` so it is always shut down, or call `shutdown()` yourself.
public final class HTTPTransport: Sendable {
    /// Timeouts, pool size and the default retry policy.
    public struct Configuration: Sendable {
        /// Longest wait for a TCP (and TLS) connection.
        public var connectTimeout: Duration
        /// Longest silence while reading a response before the request is abandoned.
        public var readTimeout: Duration
        /// Longest time for one whole attempt (a large upload needs this generous).
        public var requestTimeout: Duration
        /// Keep-alive connections kept per host; transfers beyond this wait for a free one.
        public var maxConnectionsPerHost: Int
        /// Retry policy for requests that do not bring their own.
        public var retry: HTTPRetryPolicy
        /// The `User-Agent` header.
        public var userAgent: String

        /// A configuration; the defaults suit object storage on a LAN or the internet.
        public init(connectTimeout: Duration = .seconds(5), readTimeout: Duration = .seconds(60),
                    requestTimeout: Duration = .seconds(1800), maxConnectionsPerHost: Int = 64,
                    retry: HTTPRetryPolicy = HTTPRetryPolicy(), userAgent: String = "pipe") {
            self.connectTimeout = connectTimeout
            self.readTimeout = readTimeout
            self.requestTimeout = requestTimeout
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.retry = retry
            self.userAgent = userAgent
        }
    }

    /// The configuration this transport was made with.
    public let configuration: Configuration
    let client: HTTPClient

    /// A transport with its own connection pool on NIO's shared event loops.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        var settings = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: configuration.connectTimeout.timeAmount, read: configuration.readTimeout.timeAmount),
            connectionPool: .init(idleTimeout: .seconds(60),
                                  concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.maxConnectionsPerHost),
            decompression: .disabled)
        settings.httpVersion = .http1Only
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: settings)
    }

    /// Makes NIO's event loops (the ones every transport's connections live on) Swift concurrency's global executor
    /// for the rest of the process, so a task awaiting a response resumes on the thread that read it instead of
    /// hopping to the cooperative pool and back: on 10,000 small objects this halves pipe's CPU per request
    /// (docs/remotes.md, "Event loops as the executor"). For commands whose work is transfers: call once, on the
    /// main thread, before any task starts. Work that blocks a task then blocks I/O, so processes that also run
    /// stages or long hashing must not call it. Returns false where NIO cannot install it.
    @discardableResult
    public static func runConcurrencyOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// Closes every connection; the transport cannot be used afterwards.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// Runs `body` with a fresh transport and shuts it down afterwards, whether `body` returns or throws.
    public static func withTransport<Result: Sendable>(
        _ configuration: Configuration = Configuration(),
        _ body: (HTTPTransport) async throws -> Result
    ) async throws -> Result {
        let transport = HTTPTransport(configuration: configuration)
        do {
            let result = try await body(transport)
            try await transport.shutdown()
            return result
        } catch {
            try? await transport.shutdown()
            throw error
        }
    }

    /// Sends `request` (signed afresh by `signer` before each attempt) and returns the response of any status.
    /// Connection failures and timeouts are retried, and so are retryable statuses while attempts remain (the last
    /// such response is returned, for the caller to turn into its own error). Throws `HTTPError`.
    public func send(_ request: HTTPRequest, signer: (any HTTPRequestSigner)? = nil,
                     to destination: HTTPResponseDestination = .memory(limit: 16 << 20),
                     retry: HTTPRetryPolicy? = nil) async throws -> HTTPResponse {
        let policy = retry ?? configuration.retry
        var generator = SystemRandomNumberGenerator()
        var attempt = 0
        while true {
            attempt += 1
            var prepared = request
            if prepared.header("Host") == nil { prepared.headers.append(("Host", prepared.hostHeader)) }
            if prepared.header("User-Agent") == nil { prepared.headers.append(("User-Agent", configuration.userAgent)) }
            signer?.sign(&prepared)
            do {
                let response = try await attemptOnce(prepared, destination: destination)
                if policy.retryableStatuses.contains(response.status) && attempt < policy.maxAttempts {
                    try await Task.sleep(for: policy.delay(afterAttempt: attempt, using: &generator))
                    continue
                }
                return response
            } catch let failure as AttemptFailure {
                if failure.isRetryable && attempt < policy.maxAttempts {
                    try await Task.sleep(for: policy.delay(afterAttempt: attempt, using: &generator))
                    continue
                }
                throw failure.error(attempts: attempt)
            }
        }
    }
}

extension Duration {
    /// The same span as NIO's `TimeAmount`.
    var timeAmount: TimeAmount {
        .nanoseconds(components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000)
    }
}
