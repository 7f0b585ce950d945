import Foundation
import PipeS3
import S3TestSupport
import Testing

/// The DVC-matching remote semantics of RemoteSemantics2Tests, on the real SeaweedFS `scripts/services.sh` starts:
/// status before the first push, path targets, pull's unsaved-file guard and gc --cloud's scope and prompt.
@Suite struct RemoteSemantics2S3Tests {
    let s3 = S3RemoteTests()
    let directories = RemoteTests()

    @Test("S3: status --cloud under an empty prefix is all only local; push and pull take out paths; pull -f overwrites an unsaved edit")
    func statusAndPathTargets() async throws {
        try await S3TestServer.withClient { _, server in
            let prefix = String(S3TestServer.uniquePrefix("cli-sem2").dropLast())
            let (repo, env) = try s3.project(server, prefix: prefix)
            let before = try repo.pipe("status", "--cloud", env: env)
            #expect(before.status == 0, "\(before.all)")
            #expect(before.stdout == "\tonly local  big.txt  (make, remote s3)\n\tonly local  d  (make, remote s3)\n")
            #expect(try repo.pipe("push", "big.txt", env: env).stdout == "1 object pushed (300.0 kB), 0 already on the remote\n")
            #expect(try repo.pipe("status", "-r", "s3", env: env).stdout == "\tonly local  d  (make, remote s3)\n")
            #expect(try repo.pipe("push", "d/sub", env: env).stdout.hasPrefix("3 objects pushed ("))
            #expect(try repo.pipe("status", "--cloud", "--check", env: env).stdout == "Cache and remote 's3' are in sync.\n")

            let fresh = try directories.clone(repo)
            let pull = try fresh.pipe("pull", "d", env: env)
            #expect(pull.status == 0, "\(pull.all)")
            #expect(pull.stdout.hasPrefix("restored d\n3 objects fetched ("))
            #expect(!fresh.exists("big.txt"))
            try fresh.remove("d/a")       // an edit replaces the file: the checked-out one may be a link into .cache
            try fresh.write("d/a", "edited\n")
            let refused = try fresh.pipe("pull", env: env)
            #expect(refused.status == 1)
            #expect(refused.stderr.hasSuffix("""
                error: pull would overwrite an out modified in the workspace and not in the cache: d/a
                  fix: keep the changes with `pipe commit`, or pass --force to discard them

                """))
            #expect(fresh.read("d/a") == "edited\n" && !fresh.exists("big.txt"))
            let forced = try fresh.pipe("pull", "-f", env: env)
            #expect(forced.status == 0, "\(forced.all)")
            #expect(forced.stdout == "restored big.txt\nrestored d\nEverything is up to date (4 objects already in the cache).\n")
            #expect(fresh.read("d/a") == repo.read("d/a"))
        }
    }

    @Test("S3: gc --cloud --dry lists what the workspace no longer uses and removes nothing; gc --cloud -w -f removes exactly that")
    func gcCloud() async throws {
        try await S3TestServer.withClient { client, server in
            let prefix = String(S3TestServer.uniquePrefix("cli-sem2-gc").dropLast())
            let (repo, env) = try s3.project(server, prefix: prefix)
            #expect(try repo.pipe("push", env: env).status == 0)
            try repo.write("pipeline.yaml", repo.read("pipeline.yaml")!.replacingOccurrences(of: "echo a >", with: "echo A >"))
            #expect(try repo.pipe("repro").status == 0)
            #expect(try repo.pipe("push", env: env).stdout.hasPrefix("2 objects pushed ("))   // the new d/a and manifest
            #expect(try await client.listObjects(bucket: server.bucket, prefix: prefix + "/").count == 6)
            let dry = try repo.pipe("gc", "--cloud", "--dry", env: env)
            #expect(dry.status == 0, "\(dry.all)")
            #expect(dry.stdout.hasSuffix("would remove 2 objects (104 B) from remote 's3', kept 4\n"))
            #expect(try await client.listObjects(bucket: server.bucket, prefix: prefix + "/").count == 6)
            let gc = try repo.pipe("gc", "--cloud", "-w", "-f", env: env)
            #expect(gc.status == 0, "\(gc.all)")
            #expect(gc.stdout.hasSuffix("removed 2 objects (104 B) from remote 's3', kept 4\n"))
            let keys = try await client.listObjects(bucket: server.bucket, prefix: prefix + "/").map(\.key)
            #expect(keys.count == 4)
            #expect(try repo.pipe("status", "--cloud", "--check", env: env).status == 0)
        }
    }
}
