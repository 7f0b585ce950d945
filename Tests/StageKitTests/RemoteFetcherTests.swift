import Foundation
import Testing
@testable import StageKit

@Test func aFileURLWithTheRightChecksumLandsAtomicallyAndAWrongOneLeavesNothing() throws {
    let dir = try makeTempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let source = dir.appendingPathComponent("source.csv")
    try Data("a,b\n1,2\n".utf8).write(to: source)
    let fetcher = RemoteFetcher()
    let good = Checksum.of(data: Data("a,b\n1,2\n".utf8), algorithm: .xxh3)
    let target = dir.appendingPathComponent("out/copy.csv")
    #expect(try fetcher.fetch(source, to: target, expected: good) == good)
    #expect(FileManager.default.contents(atPath: target.path) == Data("a,b\n1,2\n".utf8))
    let other = dir.appendingPathComponent("out/other.csv")
    do {
        try fetcher.fetch(source, to: other, expected: Checksum(algorithm: .sha256, hex: String(repeating: "0", count: 64)))
        Issue.record("expected a mismatch")
    } catch let error as StageError {
        #expect(error.code == .checksumMismatch)
        #expect(error.message.contains("nothing was written"))
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out").path) == ["copy.csv"])
}

@Test func unsupportedSchemesAndMissingFilesAreTypedErrors() {
    let fetcher = RemoteFetcher()
    #expect(throws: StageError(.badParams, "URL 'ftp://example.org/x' has an unsupported scheme",
                               fix: "use a file://, http:// or https:// URL, or a `local` path")) {
        try fetcher.download(URL(string: "ftp://example.org/x")!)
    }
    do {
        _ = try fetcher.download(URL(fileURLWithPath: "/nonexistent/pipe/file.csv"))
        Issue.record("expected an error")
    } catch let error as StageError {
        #expect(error.code == .badInput)
        #expect(error.message.contains("/nonexistent/pipe/file.csv"))
    } catch { Issue.record("unexpected \(error)") }
}
