import Foundation
import PipeBasics
import PipeCore
import PipeHTTP
import PipeS3

/// A remote in an S3-compatible bucket under a key prefix, through the project's S3 client: uploads stream from
/// the cache file (multipart above the part size, parts in parallel, aborted on failure), downloads stream into
/// the staging file, listings page through ListObjectsV2.
public struct S3RemoteStorage: RemoteStorage {
    /// The client (endpoint, region, credentials).
    public let client: S3Client
    /// The bucket.
    public let bucket: String
    /// The key prefix, `""` or ending in `/`.
    public let base: String
    /// Parts in flight for one multipart upload.
    public let partConcurrency: Int

    /// The storage for `bucket`/`prefix` through `client`.
    public init(client: S3Client, bucket: String, prefix: String, partConcurrency: Int = 4) {
        self.client = client
        self.bucket = bucket
        self.base = prefix.isEmpty ? "" : prefix + "/"
        self.partConcurrency = partConcurrency
    }

    public var displayName: String { "s3://\(bucket)/\(base)" }

    public func probe(forWriting: Bool) async throws(RemoteError) {
        // A one-key listing rather than HeadBucket: its error has a body, so a wrong secret is reported with the
        // server's own code (SignatureDoesNotMatch) instead of a bare 403.
        do { _ = try await client.listObjectsPage(bucket: bucket, prefix: base, maxKeys: 1) } catch {
            throw Self.remoteError(error, key: nil)
        }
    }

    public func list(prefix: String) async throws(RemoteError) -> [String: Int64] {
        do {
            var result: [String: Int64] = [:]
            for object in try await client.listObjects(bucket: bucket, prefix: base + prefix) {
                result[String(object.key.dropFirst(base.count))] = object.size
            }
            return result
        } catch {
            throw Self.remoteError(error, key: prefix)
        }
    }

    public func exists(_ key: String) async throws(RemoteError) -> Bool {
        do { return try await client.headObject(bucket: bucket, key: base + key) != nil } catch {
            throw Self.remoteError(error, key: key)
        }
    }

    public func upload(file path: String, size: Int64, to key: String) async throws(RemoteError) {
        do { _ = try await client.uploadFile(bucket: bucket, key: base + key, path: path, concurrency: partConcurrency) } catch {
            throw Self.remoteError(error, key: key)
        }
    }

    public func download(_ key: String, to path: String) async throws(RemoteError) {
        do { try await client.getObject(bucket: bucket, key: base + key, to: path) } catch {
            throw Self.remoteError(error, key: key)
        }
    }

    public func write(_ bytes: [UInt8], to key: String) async throws(RemoteError) {
        do { _ = try await client.putObject(bucket: bucket, key: base + key, bytes: bytes) } catch {
            throw Self.remoteError(error, key: key)
        }
    }

    public func download(_ key: String, to path: String, size: Int64) async throws(RemoteError) -> ContentHash? {
        if size >= 2 * Self.rangeSize {
            try await downloadRanges(key, to: path, size: size)
            return nil
        }
        let digest = StreamedDigest()
        do {
            try await client.getObject(bucket: bucket, key: base + key, to: path,
                                       verifier: { XXH3DownloadHasher(digest: digest) })
        } catch {
            throw Self.remoteError(error, key: key)
        }
        return digest.value
    }

    /// Part size of a ranged download: objects of two parts or more come down as `partConcurrency` ranged GETs
    /// at once, each written at its offset. One stream from a local SeaweedFS gave 1 GiB in 5.8 s where
    /// `aws s3 cp`, which fetches ranges in parallel, took 5.2 s.
    public static let rangeSize: Int64 = 16 << 20

    /// Downloads `key` (`size` bytes) into the new file `path` as parallel ranged GETs: created, written at each
    /// part's offset, fsynced; removed on any failure. Memory stays at `partConcurrency` parts.
    private func downloadRanges(_ key: String, to path: String, size: Int64) async throws(RemoteError) {
        let fd: Int32
        do {
            fd = try SystemCall.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            try SystemCall.truncate(fd, to: size, path: path)
        } catch {
            throw RemoteError(.transfer, "cannot create the download file (\(error))", key: key)
        }
        let ranges = stride(from: Int64(0), to: size, by: Int(Self.rangeSize)).map { $0...min($0 + Self.rangeSize, size) - 1 }
        let failures = await RemoteTransfer.concurrently(ranges, limit: partConcurrency) { range -> RemoteError? in
            do {
                let bytes = try await client.getObjectRange(bucket: bucket, key: base + key, range: range)
                try bytes.withUnsafeBytes { try SystemCall.writeAll(fd, $0, at: range.lowerBound, path: path) }
                return nil
            } catch let error as S3Error {
                return Self.remoteError(error, key: key)
            } catch {
                return RemoteError(.transfer, "cannot write the download (\(error))", key: key)
            }
        }
        var failure = failures.compactMap { $0 }.first
        if failure == nil {
            do { try SystemCall.sync(fd, path: path) } catch {
                failure = RemoteError(.transfer, "cannot sync the download (\(error))", key: key)
            }
        }
        SystemCall.close(fd)
        if let failure {
            SystemCall.removeFileIfPresent(path)
            throw failure
        }
    }

    public func read(_ key: String, limit: Int) async throws(RemoteError) -> [UInt8] {
        do { return try await client.getObjectBytes(bucket: bucket, key: base + key, limit: limit) } catch {
            throw Self.remoteError(error, key: key)
        }
    }

    public func delete(_ keys: [String]) async throws(RemoteError) {
        let failures: [S3DeleteFailure]
        do { failures = try await client.deleteObjects(bucket: bucket, keys: keys.map { base + $0 }) } catch {
            throw Self.remoteError(error, key: nil)
        }
        if let first = failures.first {
            throw RemoteError(.transfer, "delete refused: \(first.code) \(first.message)",
                              key: String(first.key.dropFirst(base.count)))
        }
    }

    /// The remote error for an S3 failure: a missing key is `notFound`; credentials, bucket and endpoint faults
    /// are configuration errors (exit 2); anything else a failed transfer.
    static func remoteError(_ error: S3Error, key: String?) -> RemoteError {
        if case let .service(service) = error, service.code == "NoSuchKey" || (service.status == 404 && service.code != "NoSuchBucket") {
            return RemoteError(.notFound, "not on the remote", key: key)
        }
        if error.isConfigurationError {
            let kind: RemoteError.Kind = ["SignatureDoesNotMatch", "InvalidAccessKeyId", "AccessDenied", "InvalidToken",
                                          "ExpiredToken"].contains(error.code) ? .accessDenied : .configuration
            return RemoteError(kind, error.description)
        }
        return RemoteError(.transfer, error.description, key: key)
    }
}

/// The XXH3-128 of a download's bytes, computed as they stream to the file (one verifier per attempt; the
/// successful attempt's hash is the one left in `digest`).
private struct XXH3DownloadHasher: DownloadVerifier {
    let digest: StreamedDigest
    let hasher = XXH3Hasher()

    mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bytes) }

    mutating func finish(byteCount: Int64) throws { digest.value = hasher.finalize() }
}

/// Where the hash of a finished download is handed back across the transport's closure.
private final class StreamedDigest: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: ContentHash?

    var value: ContentHash? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
