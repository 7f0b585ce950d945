import AsyncHTTPClient
import NIOCore
import NIOFileSystem
import NIOHTTP1
import NIOPosix

extension HTTPTransport {
    /// One attempt: builds async-http-client's request (streaming a file body when there is one), executes it
    /// and drains the response into its destination. Every error leaves as an `AttemptFailure`.
    func attemptOnce(_ request: HTTPRequest, destination: HTTPResponseDestination) async throws -> HTTPResponse {
        let target = request.displayTarget
        do {
            var outgoing = HTTPClientRequest(url: request.url)
            outgoing.method = HTTPMethod(rawValue: request.method)
            for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
            switch request.body {
            case .empty:
                return try await execute(outgoing, target: target, destination: destination)
            case .bytes(let bytes):
                outgoing.body = .bytes(ByteBuffer(bytes: bytes))
                return try await execute(outgoing, target: target, destination: destination)
            case .file(let path, let offset, let length):
                let handle: ReadFileHandle
                do {
                    handle = try await FileSystem.shared.openFile(forReadingAt: FilePath(path))
                } catch let error as FileSystemError {
                    throw AttemptFailure(.localFile(path: path, reason: "cannot read the request body (\(error.code))"),
                                         retryable: false)
                }
                outgoing.body = .stream(handle.readChunks(in: offset..<(offset + length), chunkLength: .kibibytes(256)),
                                        length: .known(length))
                let response: HTTPResponse
                do {
                    response = try await execute(outgoing, target: target, destination: destination)
                } catch {
                    try? await handle.close()
                    throw error
                }
                try? await handle.close()
                return response
            }
        } catch let failure as AttemptFailure {
            throw failure
        } catch {
            throw AttemptFailure(classifying: error, target: target)
        }
    }

    private func execute(_ outgoing: HTTPClientRequest, target: String,
                         destination: HTTPResponseDestination) async throws -> HTTPResponse {
        let response = try await client.execute(outgoing, timeout: configuration.requestTimeout.timeAmount)
        let status = Int(response.status.code)
        let headers = response.headers.map { (name: $0.name, value: $0.value) }
        switch destination {
        case .memory(let limit):
            return HTTPResponse(status: status, headers: headers, body: try await collect(response, limit: limit,
                                                                                          target: target))
        case .file(let path, let makeVerifier):
            guard (200..<300).contains(status) else {
                return HTTPResponse(status: status, headers: headers,
                                    body: try await collect(response, limit: 64 << 10, target: target))
            }
            let written = try await stream(response, to: path, verifier: makeVerifier(), target: target)
            return HTTPResponse(status: status, headers: headers, body: [], bytesWritten: written)
        }
    }

    private func collect(_ response: HTTPClientResponse, limit: Int, target: String) async throws -> [UInt8] {
        do {
            return Array(buffer: try await response.body.collect(upTo: limit))
        } catch is NIOTooManyBytesError {
            throw AttemptFailure(.bodyTooLarge(target: target, limit: limit), retryable: false)
        }
    }

    /// Writes the body into a file that appears under `path` only after the last byte, an fsync and the verifier.
    private func stream(_ response: HTTPClientResponse, to path: String, verifier: any DownloadVerifier,
                        target: String) async throws -> Int64 {
        var verifier = verifier
        do {
            return try await FileSystem.shared.withFileHandle(forWritingAt: FilePath(path),
                                                              options: .newFile(replaceExisting: true)) { handle in
                var writer = handle.bufferedWriter(capacity: .mebibytes(1))
                var count: Int64 = 0
                for try await buffer in response.body {
                    buffer.withUnsafeReadableBytes { verifier.update($0) }
                    count += Int64(buffer.readableBytes)
                    try await writer.write(contentsOf: buffer)
                }
                try await writer.flush()
                do {
                    try verifier.finish(byteCount: count)
                } catch {
                    throw AttemptFailure(.verificationFailed(target: target, path: path, reason: "\(error)"),
                                         retryable: false)
                }
                try await handle.synchronize()
                return count
            }
        } catch let error as FileSystemError {
            throw AttemptFailure(.localFile(path: path, reason: "\(error.code): \(error.message)"), retryable: false)
        }
    }
}

/// An attempt's failure: the error to report and whether trying again could help.
struct AttemptFailure: Error {
    private let makeError: @Sendable (Int) -> HTTPError
    let isRetryable: Bool

    init(_ error: HTTPError, retryable: Bool) {
        makeError = { _ in error }
        isRetryable = retryable
    }

    init(_ isRetryable: Bool, _ makeError: @escaping @Sendable (Int) -> HTTPError) {
        self.makeError = makeError
        self.isRetryable = isRetryable
    }

    /// The reported error, counting the attempts made.
    func error(attempts: Int) -> HTTPError { makeError(attempts) }

    /// Sorts a transport error into unreachable / timed out / connection lost (retried) or failed (not retried).
    init(classifying error: any Error, target: String) {
        let reason = Self.reason(error)
        if let error = error as? FileSystemError {
            self.init(.localFile(path: target, reason: "\(error.code): \(error.message)"), retryable: false)
        } else if let client = error as? HTTPClientError {
            switch client {
            case .connectTimeout:
                self.init(true) { .unreachable(target: target, reason: "connect timeout", attempts: $0) }
            case .readTimeout, .deadlineExceeded, .writeTimeout:
                self.init(true) { .timedOut(target: target, reason: reason, attempts: $0) }
            case .remoteConnectionClosed:
                self.init(true) { .connectionLost(target: target, reason: reason, attempts: $0) }
            default:
                self.init(.failed(target: target, reason: reason), retryable: false)
            }
        } else if error is NIOConnectionError {
            self.init(true) { .unreachable(target: target, reason: reason, attempts: $0) }
        } else if let io = error as? IOError {
            if [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH].contains(io.errnoCode) {
                self.init(true) { .unreachable(target: target, reason: reason, attempts: $0) }
            } else {
                self.init(true) { .connectionLost(target: target, reason: reason, attempts: $0) }
            }
        } else if error is ChannelError {
            self.init(true) { .connectionLost(target: target, reason: reason, attempts: $0) }
        } else {
            self.init(.failed(target: target, reason: reason), retryable: false)
        }
    }

    /// A short reason: the first connection error of a `NIOConnectionError`, else the error's own text.
    private static func reason(_ error: any Error) -> String {
        if let connection = error as? NIOConnectionError {
            if let first = connection.connectionErrors.first { return "\(first.error)" }
            if let dns = connection.dnsAAAAError ?? connection.dnsAError { return "DNS: \(dns)" }
            return "connection to \(connection.host):\(connection.port) failed"
        }
        return "\(error)"
    }
}
