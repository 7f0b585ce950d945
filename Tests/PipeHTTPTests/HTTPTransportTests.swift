import Foundation
import Testing
@testable import PipeHTTP

@Suite("HTTP transport")
struct HTTPTransportTests {
    @Test("what errors show of a request is its method, scheme, host, port and path — never the query")
    func displayTarget() {
        let request = HTTPRequest(method: "GET", scheme: "http", host: "127.0.0.1", port: 8333, path: "/b/k",
                                  query: "X-Amz-Signature=abc", headers: [("Authorization", "AWS4 secret")])
        #expect(request.displayTarget == "GET http://127.0.0.1:8333/b/k")
        #expect(request.url == "http://127.0.0.1:8333/b/k?X-Amz-Signature=abc")
        #expect(HTTPRequest(method: "GET", scheme: "https", host: "h", port: 443, path: "/").hostHeader == "h")
        #expect(HTTPRequest(method: "GET", scheme: "http", host: "::1", port: 80, path: "/").hostHeader == "[::1]")
        #expect(request.header("authorization") == "AWS4 secret")
    }

    @Test("a refused connection is retried the policy's number of times, then one unreachable error")
    func refusedConnection() async throws {
        let port = 1  // tcpmux: nothing listens there on a build machine
        let signer = CountingSigner()
        let error = await #expect(throws: HTTPError.self) {
            try await HTTPTransport.withTransport(.init(connectTimeout: .seconds(1))) { transport in
                try await transport.send(HTTPRequest(method: "GET", scheme: "http", host: "127.0.0.1", port: port,
                                                     path: "/x", query: "token=SECRET"),
                                         signer: signer,
                                         retry: HTTPRetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(5)))
            }
        }
        #expect(error?.code == "unreachable")
        #expect(signer.count == 3)
        let text = error.map { "\($0)" } ?? ""
        #expect(text.hasPrefix("GET http://127.0.0.1:\(port)/x: cannot connect ("))
        #expect(text.hasSuffix(") after 3 attempts; check the endpoint URL and that the server is running"))
        #expect(!text.contains("SECRET"))
    }

    @Test("a request body streamed from a missing file is a local-file error naming the file, not retried")
    func missingBodyFile() async throws {
        let port = 1  // tcpmux: nothing listens there on a build machine
        let error = await #expect(throws: HTTPError.self) {
            try await HTTPTransport.withTransport { transport in
                try await transport.send(HTTPRequest(method: "PUT", scheme: "http", host: "127.0.0.1", port: port,
                                                     path: "/x", body: .file(path: "/nonexistent/body", offset: 0,
                                                                             length: 10)))
            }
        }
        #expect(error?.code == "local-file")
        #expect("\(error.map { "\($0)" } ?? "")".contains("/nonexistent/body"))
    }
}

/// Counts how often a request was signed (once per attempt).
final class CountingSigner: HTTPRequestSigner, @unchecked Sendable {
    private let lock = NSLock()
    private var signed = 0
    var count: Int { lock.withLock { signed } }
    func sign(_ request: inout HTTPRequest) {
        lock.withLock { signed += 1 }
        request.headers.append(("Authorization", "Bearer SECRET"))
    }
}

