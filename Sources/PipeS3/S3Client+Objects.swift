import PipeHTTP

/// What S3 says about one object.
public struct S3ObjectInfo: Sendable, Equatable {
    /// The key.
    public let key: String
    /// Size in bytes.
    public let size: Int64
    /// The ETag, quotes removed (an MD5 for single-part uploads; opaque for multipart).
    public let etag: String
}

/// What a conditional put did.
public enum S3PutOutcome: Sendable, Equatable {
    /// The object was written; its ETag.
    case stored(etag: String)
    /// `If-None-Match: *` was given and an object already had the key; nothing was replaced.
    case alreadyExists
}

extension S3Client {
    /// HeadBucket: succeeds when the bucket exists and these credentials may use it; a missing bucket is
    /// `NoSuchBucket` with advice.
    public func headBucket(_ bucket: String) async throws(S3Error) {
        _ = try await call("HeadBucket", method: "HEAD", bucket: bucket)
    }

    /// HeadObject: the object's size and ETag, or nil when there is no such key.
    public func headObject(bucket: String, key: String) async throws(S3Error) -> S3ObjectInfo? {
        let response = try await call("HeadObject", method: "HEAD", bucket: bucket, key: key, accepting: [404])
        guard response.status != 404 else { return nil }
        return Self.info(key: key, response)
    }

    /// GetObject into `path`: the file appears only complete, synced and accepted by `verifier` (a hash check);
    /// a missing key is `NoSuchKey`, a rejected download `HTTPError.verificationFailed`.
    @discardableResult
    public func getObject(bucket: String, key: String, to path: String,
                          verifier: @escaping @Sendable () -> any DownloadVerifier = { AcceptEveryDownload() })
        async throws(S3Error) -> S3ObjectInfo {
        let response = try await call("GetObject", method: "GET", bucket: bucket, key: key,
                                      destination: .file(path: path, verifier: verifier))
        return Self.info(key: key, response, size: response.bytesWritten)
    }

    /// GetObject into memory, for small objects (manifests); a body over `limit` is an error.
    public func getObjectBytes(bucket: String, key: String, limit: Int = 64 << 20) async throws(S3Error) -> [UInt8] {
        try await call("GetObject", method: "GET", bucket: bucket, key: key, destination: .memory(limit: limit)).body
    }

    /// GetObject of the bytes `range` (both ends included) into memory: one part of a parallel download. A
    /// server that ignores the range and sends more is an error (the body is capped at the range's length).
    public func getObjectRange(bucket: String, key: String, range: ClosedRange<Int64>) async throws(S3Error) -> [UInt8] {
        let response = try await call("GetObject", method: "GET", bucket: bucket, key: key,
                                      headers: [("Range", "bytes=\(range.lowerBound)-\(range.upperBound)")],
                                      destination: .memory(limit: range.count))
        guard response.body.count == range.count else {
            throw .malformedResponse(operation: "GetObject",
                                     reason: "asked for \(range.count) bytes of \(key), got \(response.body.count)")
        }
        return response.body
    }

    /// PutObject streamed from a whole file (`UNSIGNED-PAYLOAD`); with `ifNoneMatch` an existing key is kept.
    public func putObject(bucket: String, key: String, fromFile path: String,
                          ifNoneMatch: Bool = false) async throws(S3Error) -> S3PutOutcome {
        let size = try Self.fileSize(path)
        return try await put(bucket: bucket, key: key, body: .file(path: path, offset: 0, length: size),
                             ifNoneMatch: ifNoneMatch)
    }

    /// PutObject of bytes in memory, payload hash signed.
    public func putObject(bucket: String, key: String, bytes: [UInt8],
                          ifNoneMatch: Bool = false) async throws(S3Error) -> S3PutOutcome {
        try await put(bucket: bucket, key: key, body: .bytes(bytes), ifNoneMatch: ifNoneMatch)
    }

    private func put(bucket: String, key: String, body: HTTPRequestBody,
                     ifNoneMatch: Bool) async throws(S3Error) -> S3PutOutcome {
        let headers: [(name: String, value: String)] = ifNoneMatch ? [("If-None-Match", "*")] : []
        let response = try await call("PutObject", method: "PUT", bucket: bucket, key: key, headers: headers,
                                      body: body, accepting: ifNoneMatch ? [412] : [])
        guard response.status != 412 else { return .alreadyExists }
        return .stored(etag: Self.unquoted(response.header("ETag") ?? ""))
    }

    static func info(key: String, _ response: HTTPResponse, size: Int64? = nil) -> S3ObjectInfo {
        S3ObjectInfo(key: key, size: size ?? Int64(response.header("Content-Length") ?? "") ?? 0,
                     etag: unquoted(response.header("ETag") ?? ""))
    }

    static func unquoted(_ etag: String) -> String {
        etag.count >= 2 && etag.hasPrefix("\"") && etag.hasSuffix("\"") ? String(etag.dropFirst().dropLast()) : etag
    }
}
