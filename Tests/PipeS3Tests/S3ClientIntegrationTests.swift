import Foundation
import PipeHTTP
import Testing
@testable import PipeS3
import S3TestSupport

/// The S3 client against a real SeaweedFS that checks signatures (scripts/services.sh); no mocks.
@Suite("S3 client against SeaweedFS")
struct S3ClientIntegrationTests {
    @Test("put, head and get round-trip a file byte for byte")
    func roundTrip() async throws {
        let scratch = try ScratchDirectory()
        let source = try scratch.file("source", bytes: 3 << 20 | 123, seed: 1)
        try await S3TestServer.withClient { client, server in
            let key = S3TestServer.uniquePrefix("round-trip") + "object with spaces+plus$.bin"
            let outcome = try await client.putObject(bucket: server.bucket, key: key, fromFile: source)
            guard case .stored(let etag) = outcome else { Issue.record("not stored: \(outcome)"); return }
            let head = try #require(try await client.headObject(bucket: server.bucket, key: key))
            #expect(head == S3ObjectInfo(key: key, size: 3 << 20 | 123, etag: etag))
            let info = try await client.getObject(bucket: server.bucket, key: key, to: scratch.path + "/copy")
            #expect(info.size == 3 << 20 | 123)
            #expect(try scratch.contents("copy") == scratch.contents("source"))
            #expect(try await client.headObject(bucket: server.bucket, key: key + ".absent") == nil)
        }
    }

    @Test("a download its verifier rejects leaves no file under the destination name")
    func rejectedDownload() async throws {
        let scratch = try ScratchDirectory()
        try await S3TestServer.withClient { client, server in
            let key = S3TestServer.uniquePrefix("rejected") + "object"
            _ = try await client.putObject(bucket: server.bucket, key: key, bytes: Array("abc".utf8))
            await #expect(throws: S3Error.self) {
                try await client.getObject(bucket: server.bucket, key: key, to: scratch.path + "/copy",
                                           verifier: { RejectingVerifier() })
            }
            #expect(!FileManager.default.fileExists(atPath: scratch.path + "/copy"))
            let bytes = try await client.getObjectBytes(bucket: server.bucket, key: key)
            #expect(bytes == Array("abc".utf8))
        }
    }

    @Test("If-None-Match: * keeps an existing object and reports it")
    func conditionalPut() async throws {
        try await S3TestServer.withClient { client, server in
            let key = S3TestServer.uniquePrefix("conditional") + "object"
            let first = try await client.putObject(bucket: server.bucket, key: key, bytes: Array("first".utf8),
                                                   ifNoneMatch: true)
            #expect(first != .alreadyExists)
            let second = try await client.putObject(bucket: server.bucket, key: key, bytes: Array("second".utf8),
                                                    ifNoneMatch: true)
            #expect(second == .alreadyExists)
            #expect(try await client.getObjectBytes(bucket: server.bucket, key: key) == Array("first".utf8))
        }
    }

    @Test("ListObjectsV2 pages with continuation tokens and lists every key once, in order")
    func listingPages() async throws {
        try await S3TestServer.withClient { client, server in
            let prefix = S3TestServer.uniquePrefix("listing")
            let keys = (0..<7).map { prefix + "k\($0)" }
            for key in keys { _ = try await client.putObject(bucket: server.bucket, key: key, bytes: Array(key.utf8)) }
            let first = try await client.listObjectsPage(bucket: server.bucket, prefix: prefix, maxKeys: 3)
            #expect(first.objects.map(\.key) == Array(keys[0..<3]))
            #expect(first.continuationToken != nil)
            let all = try await client.listObjects(bucket: server.bucket, prefix: prefix, pageSize: 3)
            #expect(all.map(\.key) == keys)
            #expect(all.map(\.size) == keys.map { Int64($0.utf8.count) })
        }
    }

    @Test("keys with spaces, +, =, ~, % and UTF-8 round-trip, and a prefix holding them lists exactly its keys")
    func awkwardKeys() async throws {
        try await S3TestServer.withClient { client, server in
            let prefix = S3TestServer.uniquePrefix("awkward") + "some dir/\u{FC}n\u{EF}code+x=y~%z/"
            let keys = ["a b.txt", "plus+sign", "eq=ual", "tilde~", "per%25cent", "\u{1234}"].map { prefix + $0 }
            for key in keys { _ = try await client.putObject(bucket: server.bucket, key: key, bytes: Array(key.utf8)) }
            _ = try await client.putObject(bucket: server.bucket, key: String(prefix.dropLast()) + "-sibling", bytes: [1])
            for key in keys { #expect(try await client.getObjectBytes(bucket: server.bucket, key: key) == Array(key.utf8)) }
            let listed = try await client.listObjects(bucket: server.bucket, prefix: prefix)
            #expect(listed.map(\.key) == keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        }
    }

    @Test("ListObjectsV2 past 1,000 keys at the default page size follows the continuation token to the last key")
    func listingPastOneThousand() async throws {
        try await S3TestServer.withClient { client, server in
            let prefix = S3TestServer.uniquePrefix("thousand")
            let keys = (0..<1_003).map { prefix + String(format: "k%05d", $0) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for slice in stride(from: 0, to: keys.count, by: 100).map({ keys[$0..<min($0 + 100, keys.count)] }) {
                    group.addTask {
                        for key in slice { _ = try await client.putObject(bucket: server.bucket, key: key, bytes: [0]) }
                    }
                }
                try await group.waitForAll()
            }
            let first = try await client.listObjectsPage(bucket: server.bucket, prefix: prefix)
            #expect(first.objects.count == 1_000)
            #expect(first.continuationToken != nil)
            #expect(try await client.listObjects(bucket: server.bucket, prefix: prefix).map(\.key) == keys)
        }
    }

    @Test("a file larger than the part size goes up in parallel parts and comes back identical")
    func multipartUpload() async throws {
        let scratch = try ScratchDirectory()
        let size = 12 << 20 | 7
        let source = try scratch.file("big", bytes: size, seed: 2)
        try await S3TestServer.withClient { client, server in
            let key = S3TestServer.uniquePrefix("multipart") + "big"
            let parts = PartLog()
            let outcome = try await client.uploadFile(bucket: server.bucket, key: key, path: source,
                                                      partSize: S3Client.minimumPartSize, concurrency: 3) {
                parts.record($0)
            }
            guard case .stored = outcome else { Issue.record("not stored: \(outcome)"); return }
            #expect(parts.events.sorted { $0.number < $1.number }.map(\.length)
                == [5 << 20, 5 << 20, Int64(size - (10 << 20))])
            try await client.getObject(bucket: server.bucket, key: key, to: scratch.path + "/back")
            #expect(try scratch.contents("back") == scratch.contents("big"))
        }
    }

    @Test("a ranged GetObject returns exactly the asked bytes, the last part included")
    func rangedGet() async throws {
        let scratch = try ScratchDirectory()
        let size = 3 << 20 | 5
        let source = try scratch.file("ranged", bytes: size, seed: 4)
        let bytes = [UInt8](try scratch.contents("ranged"))
        try await S3TestServer.withClient { client, server in
            let key = S3TestServer.uniquePrefix("ranged") + "object"
            _ = try await client.putObject(bucket: server.bucket, key: key, fromFile: source)
            let middle = try await client.getObjectRange(bucket: server.bucket, key: key, range: 1_000...(1 << 20))
            #expect(middle == Array(bytes[1_000...(1 << 20)]))
            let tail = try await client.getObjectRange(bucket: server.bucket, key: key, range: Int64(size - 5)...Int64(size - 1))
            #expect(tail == Array(bytes[(size - 5)...]))
        }
    }

    @Test("a multipart upload that fails midway is aborted: no object, no pending upload")
    func multipartAbort() async throws {
        let scratch = try ScratchDirectory()
        let source = try scratch.file("big", bytes: 11 << 20, seed: 3)
        try await S3TestServer.withClient { client, server async throws in
            let prefix = S3TestServer.uniquePrefix("abort")
            let key = prefix + "big"
            let error = await #expect(throws: S3Error.self) {
                try await client.uploadFile(bucket: server.bucket, key: key, path: source,
                                            partSize: S3Client.minimumPartSize, concurrency: 1) { _ in
                    throw Interrupted()
                }
            }
            guard case .multipartAborted(let abortedKey, _, let cause)? = error else {
                Issue.record("not an aborted multipart upload: \(String(describing: error))")
                return
            }
            #expect(abortedKey == key)
            #expect(cause.contains("Interrupted"))
            #expect(try await client.headObject(bucket: server.bucket, key: key) == nil)
            #expect(try await client.listMultipartUploads(bucket: server.bucket, prefix: prefix) == [])
        }
    }

    @Test("DeleteObjects removes a batch, absent keys included, and reports no failures")
    func deleteBatch() async throws {
        try await S3TestServer.withClient { client, server in
            let prefix = S3TestServer.uniquePrefix("delete")
            let keys = (0..<5).map { prefix + "k\($0)" }
            for key in keys { _ = try await client.putObject(bucket: server.bucket, key: key, bytes: [1, 2, 3]) }
            let failures = try await client.deleteObjects(bucket: server.bucket, keys: keys + [prefix + "absent"])
            #expect(failures == [])
            #expect(try await client.listObjects(bucket: server.bucket, prefix: prefix) == [])
        }
    }

    @Test("a wrong secret is refused by the server with SignatureDoesNotMatch, and the secret is never shown")
    func wrongSecret() async throws {
        let server = try S3TestServer.load()
        let wrong = S3Credentials(accessKeyID: server.credentials.accessKeyID,
                                  secretAccessKey: "not-the-secret-\(UUID().uuidString)", source: "test")
        try await S3TestServer.withClient(credentials: wrong) { client, server in
            do throws(S3Error) {
                _ = try await client.listObjectsPage(bucket: server.bucket)
                Issue.record("a wrong secret was accepted")
            } catch {
                #expect(error.code == "SignatureDoesNotMatch")
                #expect(error.isConfigurationError)
                #expect(!error.description.contains(wrong.secretAccessKey))
                #expect(!error.description.contains(server.credentials.secretAccessKey))
                #expect(error.description.contains("check AWS_SECRET_ACCESS_KEY"))
            }
        }
    }

    @Test("a missing bucket is one clear NoSuchBucket line naming it")
    func missingBucket() async throws {
        try await S3TestServer.withClient { client, _ in
            let bucket = "pipe-missing-\(UUID().uuidString.prefix(8).lowercased())"
            do throws(S3Error) {
                try await client.headBucket(bucket)
                Issue.record("a missing bucket was found")
            } catch {
                #expect(error.code == "NoSuchBucket")
                #expect(error.description.hasPrefix("HeadBucket \(bucket): NoSuchBucket"))
                #expect(error.description.contains("create it or fix the remote's URL"))
            }
            let listing = await #expect(throws: S3Error.self) { try await client.listObjectsPage(bucket: bucket) }
            #expect(listing?.code == "NoSuchBucket")
        }
    }

    @Test("an endpoint nobody listens on is an unreachable error after the configured attempts")
    func unreachableEndpoint() async throws {
        let port = 1  // tcpmux: nothing listens there on a build machine
        try await HTTPTransport.withTransport(.init(connectTimeout: .seconds(1),
                                                    retry: HTTPRetryPolicy(maxAttempts: 2,
                                                                           baseDelay: .milliseconds(10)))) {
            let client = S3Client(transport: $0, endpoint: try S3Endpoint(url: "http://127.0.0.1:\(port)"),
                                  region: "us-east-1",
                                  credentials: S3Credentials(accessKeyID: "AKID", secretAccessKey: "SECRET-VALUE",
                                                             source: "test"))
            do throws(S3Error) {
                try await client.headBucket("bucket")
                Issue.record("an unreachable endpoint answered")
            } catch {
                #expect(error.code == "Transport:unreachable")
                #expect(error.isConfigurationError)
                #expect(error.description.hasPrefix("HEAD http://127.0.0.1:\(port)/bucket: cannot connect"))
                #expect(error.description.contains("after 2 attempts"))
                #expect(!error.description.contains("SECRET-VALUE"))
            }
        }
    }
}

struct RejectingVerifier: DownloadVerifier {
    struct Mismatch: Error {}
    mutating func update(_ bytes: UnsafeRawBufferPointer) {}
    mutating func finish(byteCount: Int64) throws { throw Mismatch() }
}

struct Interrupted: Error {}

/// Upload events seen from concurrent parts.
final class PartLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [(number: Int, length: Int64)] = []

    func record(_ event: S3UploadEvent) {
        guard case .partStored(let number, let length) = event else { return }
        lock.withLock { stored.append((number, length)) }
    }

    var events: [(number: Int, length: Int64)] { lock.withLock { stored } }
}
