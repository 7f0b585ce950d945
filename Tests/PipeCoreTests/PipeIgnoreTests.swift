import Foundation
import Testing
@testable import PipeCore

@Suite struct PipeIgnoreTests {
    func rules(_ text: String, base: String = "") -> PipeIgnore {
        PipeIgnore().adding(PipeIgnoreFile(parsing: text, base: base, source: ".pipeignore"))
    }

    @Test("globs match names at any depth; * and ? never cross a slash")
    func basenameGlobs() {
        let r = rules("*.tmp\nfile?.log\n[ab]*.bak\n")
        #expect(r.isIgnored("x.tmp", isDirectory: false))
        #expect(r.isIgnored("deep/er/x.tmp", isDirectory: false))
        #expect(!r.isIgnored("x.tmpx", isDirectory: false))
        #expect(r.isIgnored("d/file1.log", isDirectory: false))
        #expect(!r.isIgnored("d/file12.log", isDirectory: false))
        #expect(r.isIgnored("a1.bak", isDirectory: false) && r.isIgnored("b.bak", isDirectory: false))
        #expect(!r.isIgnored("c.bak", isDirectory: false))
        #expect(!GlobPattern("a*b").matches("a/b"))
        #expect(!GlobPattern("a?b").matches("a/b"))
        #expect(GlobPattern("[!a-c]x").matches("dx") && !GlobPattern("[!a-c]x").matches("bx"))
        #expect(GlobPattern("\\*lit").matches("*lit") && !GlobPattern("\\*lit").matches("xlit"))
    }

    @Test("** spans directories at the start, the end and in the middle")
    func doubleStar() {
        #expect(GlobPattern("**/foo").matches("foo"))
        #expect(GlobPattern("**/foo").matches("a/b/foo"))
        #expect(GlobPattern("foo/**").matches("foo/a/b"))
        #expect(!GlobPattern("foo/**").matches("foo"))
        #expect(GlobPattern("a/**/b").matches("a/b"))
        #expect(GlobPattern("a/**/b").matches("a/x/y/b"))
        #expect(!GlobPattern("a/**/b").matches("a/x/yb"))
        let r = rules("logs/**/*.txt\n")
        #expect(r.isIgnored("logs/x.txt", isDirectory: false))
        #expect(r.isIgnored("logs/2024/01/x.txt", isDirectory: false))
        #expect(!r.isIgnored("other/logs/x.txt", isDirectory: false))
    }

    @Test("a leading or inner slash anchors the pattern to the .pipeignore's directory")
    func anchoring() {
        let r = rules("/top.txt\nsub/inner.txt\n", base: "data")
        #expect(r.isIgnored("data/top.txt", isDirectory: false))
        #expect(!r.isIgnored("data/x/top.txt", isDirectory: false))
        #expect(r.isIgnored("data/sub/inner.txt", isDirectory: false))
        #expect(!r.isIgnored("data/a/sub/inner.txt", isDirectory: false))
        #expect(!r.isIgnored("top.txt", isDirectory: false))       // outside the file's directory
    }

    @Test("a trailing slash matches directories only")
    func directoryOnly() {
        let r = rules("build/\n")
        #expect(r.isIgnored("a/build", isDirectory: true))
        #expect(!r.isIgnored("a/build", isDirectory: false))
    }

    @Test("! re-includes, the last matching line wins, and a deeper file beats a shallower one")
    func negationAndPrecedence() {
        let r = rules("*.log\n!keep.log\n")
        #expect(r.isIgnored("a.log", isDirectory: false))
        #expect(!r.isIgnored("keep.log", isDirectory: false))
        let reversed = rules("!keep.log\n*.log\n")
        #expect(reversed.isIgnored("keep.log", isDirectory: false))
        let nested = r.adding(PipeIgnoreFile(parsing: "keep.log\n", base: "sub", source: "sub/.pipeignore"))
        #expect(nested.isIgnored("sub/keep.log", isDirectory: false))
        #expect(!nested.isIgnored("keep.log", isDirectory: false))
    }

    @Test("dir/* with !dir/keep re-includes keep, because the directory itself is not ignored")
    func reincludeInsideUnignoredDirectory() throws {
        let dir = try HashingScratchDirectory()
        try dir.write("out/logs/a.log", "a")
        try dir.write("out/logs/keep", "k")
        try dir.write("out/.pipeignore", "logs/*\n!logs/keep\n")
        let entry = try #require(try FileHasher(repoRoot: dir.url).hashEntry(repoPath: "out"))
        #expect(entry.manifest?.entries.map(\.path) == [".pipeignore", "logs/keep"])
    }

    @Test("comments, blank lines, escapes and trailing spaces follow gitignore")
    func syntaxDetails() {
        let r = rules("# comment\n\n\\#hash\n\\!bang\ntrail   \nesc\\ \r\n")
        #expect(!r.isIgnored("# comment", isDirectory: false))
        #expect(r.isIgnored("#hash", isDirectory: false))
        #expect(r.isIgnored("!bang", isDirectory: false))
        #expect(r.isIgnored("trail", isDirectory: false))
        #expect(r.isIgnored("esc ", isDirectory: false))
        #expect(r.files[0].rules.count == 4)
        #expect(r.files[0].rules[0].source.line == 3)
    }

    @Test(".git and .cache are always ignored and cannot be re-included")
    func builtIns() {
        let r = rules("!.git\n!.cache\n")
        #expect(r.isIgnored("a/.git", isDirectory: true))
        #expect(r.isIgnored(".cache", isDirectory: true))
    }

    @Test("directory hashes skip ignored files, honour nested .pipeignore files and cannot re-include under an ignored directory")
    func directoryHashesHonourPipeIgnore() throws {
        let dir = try HashingScratchDirectory()
        try dir.write("data/a.txt", "a")
        try dir.write("data/scratch.tmp", "junk")
        try dir.write("data/sub/b.txt", "b")
        try dir.write("data/sub/c.txt", "c")
        try dir.write("data/sub/.pipeignore", "c.txt\n")
        try dir.write("data/ignored/keep.txt", "k")
        try dir.write("data/.git/HEAD", "ref")
        try dir.write(".pipeignore", "*.tmp\nignored/\n!keep.txt\n")
        let hasher = FileHasher(repoRoot: dir.url)
        let entry = try #require(try hasher.hashEntry(repoPath: "data"))
        #expect(entry.manifest?.entries.map(\.path) == ["a.txt", "sub/.pipeignore", "sub/b.txt"])
        #expect(entry.nfiles == 3)
        // changing an ignored file leaves the hash alone; changing a tracked one does not
        try dir.write("data/scratch.tmp", "other junk")
        try dir.write("data/sub/c.txt", "changed")
        #expect(try hasher.hashEntry(repoPath: "data")?.hash == entry.hash)
        try dir.write("data/a.txt", "A")
        #expect(try hasher.hashEntry(repoPath: "data")?.hash != entry.hash)
    }
}
