/// A response: status, headers, and the body collected in memory (capped) unless it was streamed to a file.
public struct HTTPResponse: Sendable {
    /// The status code.
    public let status: Int
    /// The headers as received (names as sent by the server).
    public let headers: [(name: String, value: String)]
    /// The collected body: the whole of it for `.memory`, an excerpt of an error body for `.file`.
    public let body: [UInt8]
    /// Bytes written to the destination file (0 unless the body went to a file).
    public let bytesWritten: Int64

    /// A response from its parts.
    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8], bytesWritten: Int64 = 0) {
        self.status = status
        self.headers = headers
        self.body = body
        self.bytesWritten = bytesWritten
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The value of a header (case-insensitive), if present.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// The first 300 characters of the body as text, for messages (invalid UTF-8 is replaced).
    public var bodyExcerpt: String {
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        return body.count > 300 ? text + "…" : text
    }
}

/// Where a response body goes.
public enum HTTPResponseDestination: Sendable {
    /// Collected in memory; a body longer than `limit` bytes is an error (`HTTPError.bodyTooLarge`).
    case memory(limit: Int)
    /// Streamed to `path` (a 2xx body only) through a file that becomes visible under that name only once every
    /// byte is written, synced to disk and accepted by the verifier (made fresh for each attempt); a non-2xx body
    /// is collected instead (up to 64 KiB) so the caller can read the error.
    case file(path: String, verifier: @Sendable () -> any DownloadVerifier)

    /// Streamed to `path` with no verification beyond a complete transfer.
    public static func file(path: String) -> HTTPResponseDestination {
        .file(path: path, verifier: { AcceptEveryDownload() })
    }
}

/// Watches a download's bytes as they arrive and decides at the end whether the file may appear (a hash check).
public protocol DownloadVerifier {
    /// Sees the next chunk, in order.
    mutating func update(_ bytes: UnsafeRawBufferPointer)
    /// Called after the last byte; throwing rejects the download and the file is never made visible.
    mutating func finish(byteCount: Int64) throws
}

/// The verifier that accepts any complete body.
public struct AcceptEveryDownload: DownloadVerifier {
    /// The verifier.
    public init() {}
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {}
    public mutating func finish(byteCount: Int64) throws {}
}
