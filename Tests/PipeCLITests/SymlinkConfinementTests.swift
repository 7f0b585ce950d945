import Foundation
import Testing

/// A link inside a directory out that leads out of the repository is never followed into the cache (so never onto
/// a remote): repro and commit fail naming the link and its target; links within the repository still work.
@Suite struct SymlinkConfinementTests {
    /// A file outside the repository, standing in for `~/.aws/credentials`.
    func secretOutside() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-secret-\(UUID().uuidString)")
        try Data("aws_secret_access_key = do-not-cache-me\n".utf8).write(to: url)
        return url
    }

    /// The bytes of every file under the repository's `.cache`.
    func cachedFiles(_ repo: Repo) -> [Data] {
        let cache = repo.root.appendingPathComponent(".cache").path
        let walker = FileManager.default.enumerator(atPath: cache)
        var files: [Data] = []
        while let path = walker?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: cache + "/" + path) { files.append(data) }
        }
        return files
    }

    @Test("repro: a stage whose directory out links outside the repository fails naming link and target; nothing is cached or locked")
    func reproRefusesAnEscapingLink() throws {
        let secret = try secretOutside()
        let repo = try Repo()
        try repo.write("pipeline.yaml", """
        stages:
          make:
            cmd: mkdir -p d && echo a > d/a && ln -sf \(secret.path) d/creds
            outs: [d]

        """)
        let run = try repo.pipe("repro")
        #expect(run.status == 1, "\(run.all)")
        #expect(run.stderr.contains("symbolic link leaves the repository: d/creds -> \(secret.path)"), "\(run.stderr)")
        #expect(repo.read("pipe.lock")?.contains("make:") != true)
        #expect(cachedFiles(repo).allSatisfy { !String(decoding: $0, as: UTF8.self).contains("do-not-cache-me") })
    }

    @Test("commit refuses the same link; a link to a file inside the repository is followed and cached as its content")
    func commitRefusesAndInsideLinksWork() throws {
        let secret = try secretOutside()
        let repo = try Repo()
        try repo.write("pipeline.yaml", """
        stages:
          make:
            cmd: mkdir -p d && echo a > d/a && echo shared > shared.txt && ln -sf ../shared.txt d/inside
            outs: [d]

        """)
        let run = try repo.pipe("repro")
        #expect(run.status == 0, "\(run.all)")
        #expect(try repo.pipe("status").stdout == "Pipeline is up to date.\n")
        #expect(repo.read("d/inside") == "shared\n")
        try FileManager.default.createSymbolicLink(atPath: repo.root.path + "/d/creds", withDestinationPath: secret.path)
        let commit = try repo.pipe("commit")
        #expect(commit.status != 0, "\(commit.all)")
        #expect(commit.stderr.contains("symbolic link leaves the repository: d/creds -> \(secret.path)"), "\(commit.stderr)")
    }
}
