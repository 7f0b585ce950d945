import Foundation
import PipeHTTP
import PipeS3
import S3TestSupport
import Testing

/// `pipe push / pull / status --cloud` against the real SeaweedFS that `scripts/services.sh` starts (it checks
/// SigV4 signatures); no S3 mock anywhere.
@Suite struct S3RemoteTests {
    let directories = RemoteTests()

    /// A repository with one stage (a directory and a file out) and an S3 remote under a fresh prefix, plus the
    /// environment that gives `pipe` the server's credentials.
    func project(_ server: S3TestServer, prefix: String) throws -> (Repo, [String: String]) {
        let repo = try Repo()
        try repo.write("pipeline.yaml", """
        stages:
          make:
            cmd: mkdir -p d/sub && echo a > d/a && echo b > d/sub/b && head -c 300000 /dev/zero | tr '\\0' x > big.txt
            outs: [d, big.txt]

        """)
        #expect(try repo.pipe("repro").status == 0)
        return (repo, try addRemote(to: repo, server, prefix: prefix))
    }

    /// Makes `server`'s bucket under `prefix` the default remote of `repo`; returns the environment that gives
    /// `pipe` the server's credentials.
    func addRemote(to repo: Repo, _ server: S3TestServer, prefix: String) throws -> [String: String] {
        #expect(try repo.pipe("remote", "add", "-d", "s3", "s3://\(server.bucket)/\(prefix)").status == 0)
        #expect(try repo.pipe("remote", "modify", "s3", "endpoint_url", server.endpoint.description).status == 0)
        return ["AWS_ACCESS_KEY_ID": server.credentials.accessKeyID,
                "AWS_SECRET_ACCESS_KEY": server.credentials.secretAccessKey,
                "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_PROFILE": ""]
    }

    @Test("an out of several range parts (40 MB) goes up in parts and comes back byte-identical through parallel ranged GETs")
    func largeObjectRoundTrip() async throws {
        try await S3TestServer.withClient { _, server in
            let prefix = String(S3TestServer.uniquePrefix("cli-large").dropLast())
            let repo = try Repo()
            try repo.write("pipeline.yaml", """
            stages:
              make:
                cmd: python3 -c "import random, sys; sys.stdout.buffer.write(random.Random(5).randbytes(40_000_003))" > big.bin
                outs: [big.bin]

            """)
            #expect(try repo.pipe("repro").status == 0)
            let env = try addRemote(to: repo, server, prefix: prefix)
            #expect(try repo.pipe("push", env: env).stdout == "1 object pushed (40.0 MB), 0 already on the remote\n")
            let fresh = try directories.clone(repo)
            let pull = try fresh.pipe("pull", env: env)
            #expect(pull.status == 0, "\(pull.all)")
            #expect(fresh.data("big.bin") == repo.data("big.bin"))
            #expect(try fresh.pipe("status").stdout == "Pipeline is up to date.\n")
        }
    }

    @Test("push to S3, pull into a fresh clone: every out byte-identical, status clean; a second push sends nothing")
    func roundTrip() async throws {
        try await S3TestServer.withClient { client, server in
            let prefix = String(S3TestServer.uniquePrefix("cli-roundtrip").dropLast())
            let (repo, env) = try project(server, prefix: prefix)
            let push = try repo.pipe("push", env: env)
            #expect(push.status == 0, "\(push.all)")
            #expect(push.stdout.hasPrefix("4 objects pushed ("))
            let keys = try await client.listObjects(bucket: server.bucket, prefix: prefix + "/").map(\.key)
            #expect(keys.count == 4)
            #expect(keys.allSatisfy { $0.hasPrefix(prefix + "/objects/") })
            #expect(try repo.pipe("push", env: env).stdout == "Everything is up to date (4 objects already on the remote).\n")
            #expect(try repo.pipe("status", "--cloud", env: env).stdout == "Cache and remote 's3' are in sync.\n")

            let fresh = try directories.clone(repo)
            let pull = try fresh.pipe("pull", env: env)
            #expect(pull.status == 0, "\(pull.all)")
            for path in ["d/a", "d/sub/b", "big.txt"] { #expect(fresh.read(path) == repo.read(path)) }
            #expect(try fresh.pipe("status").stdout == "Pipeline is up to date.\n")
        }
    }

    @Test("a remote at s3://bucket/some dir/ünïcode+x=y~%z: push -r -j, a second push sends nothing, a pull missing an object exits 1")
    func awkwardPrefix() async throws {
        try await S3TestServer.withClient { client, server in
            let prefix = S3TestServer.uniquePrefix("cli-awkward") + "some dir/\u{FC}n\u{EF}code+x=y~%z"
            let (repo, env) = try project(server, prefix: "unused")
            #expect(try repo.pipe("remote", "add", "odd", "s3://\(server.bucket)/\(prefix)/").status == 0)
            #expect(try repo.pipe("remote", "modify", "odd", "endpoint_url", server.endpoint.description).status == 0)
            let push = try repo.pipe("push", "-r", "odd", "-j", "2", env: env)
            #expect(push.status == 0, "\(push.all)")
            #expect(push.stdout.hasPrefix("4 objects pushed ("))
            let keys = try await client.listObjects(bucket: server.bucket, prefix: prefix + "/").map(\.key)
            #expect(keys.count == 4 && keys.allSatisfy { $0.hasPrefix(prefix + "/objects/") })
            #expect(try repo.pipe("push", "-r", "odd", env: env).stdout == "Everything is up to date (4 objects already on the remote).\n")
            #expect(try repo.pipe("status", "--cloud", "-r", "odd", env: env).stdout == "Cache and remote 'odd' are in sync.\n")

            let victim = try #require(keys.first { !$0.hasSuffix(".dir") && !$0.contains("/objects/.") })
            _ = try await client.deleteObjects(bucket: server.bucket, keys: [victim])
            let fresh = try directories.clone(repo)
            let pull = try fresh.pipe("pull", "-r", "odd", env: env)
            #expect(pull.status == 1, "\(pull.all)")
            #expect(pull.stderr.contains("not on remote 'odd'; push it from a clone whose cache has it\n"))
            #expect(pull.stdout.hasSuffix(", 1 failed\n"))
        }
    }

    @Test("the remote's own key pair wins over a default profile in the credentials file; half a pair is exit 2 naming the missing key")
    func remoteKeysOverProfile() async throws {
        try await S3TestServer.withClient { _, server in
            let (repo, _) = try project(server, prefix: String(S3TestServer.uniquePrefix("cli-keys").dropLast()))
            try repo.write("aws-credentials", "[default]\naws_access_key_id = AKIDNOTTHISONE\naws_secret_access_key = nope\n")
            let env = ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
                       "AWS_SHARED_CREDENTIALS_FILE": repo.root.appendingPathComponent("aws-credentials").path,
                       "AWS_CONFIG_FILE": "/nonexistent"]
            #expect(try repo.pipe("remote", "modify", "s3", "access_key_id", server.credentials.accessKeyID).status == 0)
            let half = try repo.pipe("push", env: env)
            #expect(half.status == 2)
            #expect(half.stderr.contains("remote 's3' sets only half of its key pair: secret_access_key is missing"))
            #expect(try repo.pipe("remote", "modify", "--local", "s3", "secret_access_key",
                                  server.credentials.secretAccessKey).status == 0)
            let push = try repo.pipe("push", env: env)
            #expect(push.status == 0, "\(push.all)")
            #expect(push.stdout.hasPrefix("4 objects pushed ("))
            #expect(!push.all.contains(server.credentials.secretAccessKey))
        }
    }

    @Test("a wrong secret is one line with the server's SignatureDoesNotMatch, exit 2, and the secret never printed")
    func wrongSecret() async throws {
        try await S3TestServer.withClient { _, server in
            let (repo, serverEnv) = try project(server, prefix: String(S3TestServer.uniquePrefix("cli-secret").dropLast()))
            var env = serverEnv
            env["AWS_SECRET_ACCESS_KEY"] = "not-the-secret-0123456789"
            let push = try repo.pipe("push", env: env)
            #expect(push.status == 2)
            #expect(push.stdout == "")
            #expect(push.stderr.hasPrefix("error: remote 's3' (s3://\(server.bucket)/"))
            #expect(push.stderr.contains("SignatureDoesNotMatch"))
            #expect(push.stderr.split(separator: "\n").count == 1)
            #expect(!push.all.contains("not-the-secret") && !push.all.contains(server.credentials.secretAccessKey))
        }
    }

    @Test("a missing bucket is one clear line, exit 2")
    func badConfig() async throws {
        try await S3TestServer.withClient { _, server in
            let (repo, env) = try project(server, prefix: "x")
            #expect(try repo.pipe("remote", "add", "nobucket", "s3://no-such-bucket-\(UUID().uuidString.prefix(8).lowercased())/x").status == 0)
            #expect(try repo.pipe("remote", "modify", "nobucket", "endpoint_url", server.endpoint.description).status == 0)
            let missing = try repo.pipe("push", "-r", "nobucket", env: env)
            #expect(missing.status == 2)
            #expect(missing.stderr.contains("NoSuchBucket") && missing.stderr.contains("bucket does not exist at this endpoint"))
            #expect(missing.stderr.split(separator: "\n").count == 1)
        }
    }

    @Test("a remote object corrupted on S3 is detected on fetch, exit 1, and never enters the cache")
    func corruptObject() async throws {
        try await S3TestServer.withClient { client, server in
            let prefix = String(S3TestServer.uniquePrefix("cli-corrupt").dropLast())
            let (repo, env) = try project(server, prefix: prefix)
            #expect(try repo.pipe("push", env: env).status == 0)
            let keys = try await client.listObjects(bucket: server.bucket, prefix: prefix + "/objects/").map(\.key)
            let victim = keys.first { !$0.hasSuffix(".dir") }!
            _ = try await client.putObject(bucket: server.bucket, key: victim, bytes: Array("tampered\n".utf8))
            let fresh = try directories.clone(repo)
            let fetch = try fresh.pipe("fetch", env: env)
            #expect(fetch.status == 1)
            #expect(fetch.stderr.contains("is corrupt: its content hashes to"))
            let hex = victim.dropFirst((prefix + "/objects/").count).split(separator: "/").joined()
            #expect(!fresh.exists(".cache/objects/" + hex.prefix(2) + "/" + hex.dropFirst(2)))
        }
    }

    /// Every file under `path` of `repo`, by relative path, with its bytes.
    func files(under path: String, of repo: Repo) -> [String: Data] {
        let base = repo.root.appendingPathComponent(path).path
        var result: [String: Data] = [:]
        let walker = FileManager.default.enumerator(atPath: base)
        while let relative = walker?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: base + "/" + relative) { result[relative] = data }
        }
        return result
    }

    @Test("the shipped pipeline (tiny params): push --run-cache to S3, then repro --pull in a fresh clone runs no stage and every out is byte-identical")
    func shippedPipelinePullRunsNothing() async throws {
        try await S3TestServer.withClient { _, server in
            let prefix = String(S3TestServer.uniquePrefix("cli-shipped").dropLast())
            let shipped = ShippedPipelineRunCacheTests()
            let repo = try Repo()
            defer { try? FileManager.default.removeItem(at: repo.root) }
            try ShippedPipelineRunCacheTests.writeShippedPipeline(into: repo)
            let first = try repo.pipe("repro", "-j", "1")
            #expect(first.status == 0, "\(first.all)")
            let env = try addRemote(to: repo, server, prefix: prefix)
            let push = try repo.pipe("push", "--run-cache", env: env)
            #expect(push.status == 0, "\(push.all)")

            // A clone as git gives it: the pipeline, its notes and params, lock, config and the uncached metrics.
            let fresh = try directories.clone(repo)
            try ShippedPipelineRunCacheTests.writeShippedPipeline(into: fresh)
            for (path, bytes) in shipped.uncachedOutputs(repo) {
                try fresh.write(path, String(decoding: bytes, as: UTF8.self))
            }
            let pull = try fresh.pipe("repro", "--pull", "-j", "1", env: env)
            #expect(pull.status == 0, "\(pull.all)")
            let ran = ShippedPipelineRunCacheTests.stages.filter { pull.stdout.contains("Running '\($0)'") }
            #expect(ran.isEmpty, "\(pull.stdout)")
            #expect(fresh.read("pipe.lock") == repo.read("pipe.lock"))
            for path in ["data/split", "models/merged", "models/base"] {
                let restored = files(under: path, of: fresh)
                #expect(!restored.isEmpty && restored == files(under: path, of: repo), "\(path)")
            }
            #expect(try fresh.pipe("status").stdout == "Pipeline is up to date.\n")
        }
    }
}
