import Foundation
import PipeHTTP
import PipeS3

/// The SeaweedFS server the integration tests talk to, found through `PIPE_S3_*` variables or the env file
/// `scripts/services.sh start` writes (`.build/services/s3.env`, or `$PIPE_S3_ENV_FILE`). When neither names a
/// server that answers, the test fails saying how to start one: these tests never skip.
public struct S3TestServer: Sendable {
    public let endpoint: S3Endpoint
    public let credentials: S3Credentials
    public let bucket: String
    public let region: String

    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    public static let howToStart = "start SeaweedFS with `bash scripts/services.sh start` (bash scripts/test.sh does it)"

    /// The configured server, or a recorded failure saying how to start it.
    public static func load() throws -> S3TestServer {
        var values = ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("PIPE_S3_") }
        if values["PIPE_S3_ENDPOINT"] == nil {
            let file = values["PIPE_S3_ENV_FILE"]
                ?? repositoryRoot.appendingPathComponent(".build/services/s3.env").path
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ServerMissing(reason: "no S3 server configured (\(file) is missing); \(howToStart)")
            }
            for line in text.split(separator: "\n") {
                guard let equals = line.firstIndex(of: "=") else { continue }
                values[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
        }
        guard let url = values["PIPE_S3_ENDPOINT"], let key = values["PIPE_S3_ACCESS_KEY_ID"],
              let secret = values["PIPE_S3_SECRET_ACCESS_KEY"], let bucket = values["PIPE_S3_BUCKET"] else {
            throw ServerMissing(reason: "the S3 env is incomplete (PIPE_S3_ENDPOINT, _ACCESS_KEY_ID, "
                                + "_SECRET_ACCESS_KEY, _BUCKET); \(howToStart)")
        }
        return S3TestServer(endpoint: try S3Endpoint(url: url),
                            credentials: S3Credentials(accessKeyID: key, secretAccessKey: secret, source: "test env"),
                            bucket: bucket, region: values["PIPE_S3_REGION"] ?? "us-east-1")
    }

    /// Runs `body` with a client of this server (or other credentials), checking first that the server answers.
    public static func withClient<T: Sendable>(credentials: S3Credentials? = nil,
                                        _ body: (S3Client, S3TestServer) async throws -> T) async throws -> T {
        let server = try load()
        return try await HTTPTransport.withTransport(.init(connectTimeout: .seconds(2),
                                                           retry: HTTPRetryPolicy(maxAttempts: 2))) { transport in
            let client = S3Client(transport: transport, endpoint: server.endpoint, region: server.region,
                                  credentials: credentials ?? server.credentials)
            do {
                try await client.headBucket(server.bucket)
            } catch S3Error.transport(let error) {
                throw ServerMissing(reason: "the S3 server at \(server.endpoint) does not answer (\(error)); "
                                    + howToStart)
            } catch {
                // Wrong credentials are some tests' point: the server answered, which is all this checks.
            }
            return try await body(client, server)
        }
    }

    /// A key prefix no other test uses.
    public static func uniquePrefix(_ name: String) -> String { "tests/\(name)/\(UUID().uuidString)/" }
}

/// The test server is not there; the message says how to start it.
public struct ServerMissing: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}

/// A scratch directory removed at the end of the test.
public struct ScratchDirectory: ~Copyable {
    public let path: String

    public init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-s3-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `count` pseudo-random bytes (seeded, so reruns see the same data) to a file and returns its path.
    public func file(_ name: String, bytes count: Int, seed: UInt64) throws -> String {
        var state = seed
        var bytes = [UInt8](repeating: 0, count: count)
        for index in 0..<count {
            // SplitMix64, one byte per step is plenty for test data.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            bytes[index] = UInt8(truncatingIfNeeded: z ^ (z >> 31))
        }
        let full = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    public func contents(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path + "/" + name)) }
}
