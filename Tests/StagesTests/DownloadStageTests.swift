import Foundation
import Testing
@testable import StageKit

private let sampleBody = Data("{\"id\":\"x1\",\"text\":\"hello\"}\n".utf8)

@Test func downloadFetchesAnHTTPSourceAndVerifiesItsChecksum() throws {
    let repo = try DataStageRepo()
    defer { repo.remove() }
    let server = try LoopbackHTTPServer(files: ["export.jsonl": sampleBody])
    defer { server.stop() }
    let sum = Checksum.of(data: sampleBody, algorithm: .xxh3)
    let params = #"{"download":{"sources":[{"name":"remote","url":"\#(server.url("export.jsonl"))","checksum":"\#(sum)"}]}}"#
    let run = try repo.run("download", params: params)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(repo.data("data/raw/remote/export.jsonl") == sampleBody)
    let manifest = try repo.json("data/raw/manifest.json")
    let files = try #require(manifest["files"] as? [[String: Any]])
    #expect(files.first?["sha256"] as? String == Checksum.of(data: sampleBody, algorithm: .sha256).hex)
}

@Test func aChecksumMismatchFailsAndLeavesNothingHalfWritten() throws {
    let repo = try DataStageRepo()
    defer { repo.remove() }
    try repo.write("data/raw/previous.txt", "from an earlier run")
    let server = try LoopbackHTTPServer(files: ["export.jsonl": sampleBody])
    defer { server.stop() }
    let wrong = "sha256:" + String(repeating: "0", count: 64)
    let params = #"{"download":{"sources":[{"name":"remote","url":"\#(server.url("export.jsonl"))","checksum":"\#(wrong)"}]}}"#
    let run = try repo.run("download", params: params)
    #expect(run.status == 1)
    #expect(run.stderr.contains("error: download:"))
    #expect(run.stderr.contains("checksum"))
    #expect(repo.read("data/raw/previous.txt") == "from an earlier run")
    #expect(!repo.exists("data/raw/remote"))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: repo.root.appendingPathComponent("data").path)
    #expect(leftovers == ["raw"])
}

@Test func anUnreachableURLFailsWithAClearMessage() throws {
    let repo = try DataStageRepo()
    defer { repo.remove() }
    let port = LoopbackHTTPServer.closedPort()
    let sum = "sha256:" + String(repeating: "a", count: 64)
    let params = #"{"download":{"timeout":5,"sources":[{"name":"gone","url":"http://127.0.0.1:\#(port)/x.csv","checksum":"\#(sum)"}]}}"#
    let run = try repo.run("download", params: params)
    #expect(run.status == 1)
    #expect(run.stderr.contains("cannot fetch http://127.0.0.1:\(port)/x.csv"))
    #expect(!repo.exists("data/raw"))
}

@Test func anHTTPErrorStatusIsAFailureNotAFile() throws {
    let repo = try DataStageRepo()
    defer { repo.remove() }
    let server = try LoopbackHTTPServer(files: [:])
    defer { server.stop() }
    let sum = "sha256:" + String(repeating: "a", count: 64)
    let params = #"{"download":{"sources":[{"name":"r","url":"\#(server.url("missing.csv"))","checksum":"\#(sum)"}]}}"#
    let run = try repo.run("download", params: params)
    #expect(run.status == 1)
    #expect(run.stderr.contains("HTTP 404"))
}

@Test func aLocalSourceIsCopiedAndAFileURLIsVerified() throws {
    let repo = try DataStageRepo()
    defer { repo.remove() }
    try repo.write("exports/a.csv", "record,description\n1,x\n")
    let sum = Checksum.of(data: Data("record,description\n1,x\n".utf8), algorithm: .sha256)
    let fileURL = repo.root.appendingPathComponent("exports/a.csv").absoluteString
    let params = #"{"download":{"sources":[{"name":"mine","local":"exports/a.csv"},{"name":"viafile","url":"\#(fileURL)","checksum":"\#(sum)"}]}}"#
    let run = try repo.run("download", params: params)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(repo.read("data/raw/mine/a.csv") == "record,description\n1,x\n")
    #expect(repo.read("data/raw/viafile/a.csv") == "record,description\n1,x\n")
}

@Test func badDownloadParamsExitWithTwoAndNameTheKey() throws {
    let repo = try DataStageRepo()
    defer { repo.remove() }
    let typo = try repo.run("download", params: #"{"download":{"sources":[{"name":"s","synthetic":{"n":10,"sed":1}}]}}"#)
    #expect(typo.status == 2)
    #expect(typo.stderr.contains("download.sources[0].synthetic.sed"))
    #expect(typo.stderr.contains("did you mean 'seed'"))
    let noChecksum = try repo.run("download", params: #"{"download":{"sources":[{"name":"s","url":"http://127.0.0.1:1/x"}]}}"#)
    #expect(noChecksum.status == 2)
    #expect(noChecksum.stderr.contains("checksum"))
    let two = try repo.run("download", params: #"{"download":{"sources":[{"name":"s","local":"a","url":"b"}]}}"#)
    #expect(two.status == 2)
    #expect(two.stderr.contains("exactly one of synthetic, url, local"))
}

@Test func theSyntheticSourceIsDeterministicForASeed() throws {
    let repo = try DataStageRepo()
    defer { repo.remove() }
    let params = #"{"download":{"sources":[{"name":"synthetic","synthetic":{"n":400,"seed":3}}]}}"#
    #expect(try repo.run("download", params: params).status == 0)
    let first = repo.data("data/raw/manifest.json")
    let firstCases = repo.data("data/raw/synthetic/cases.jsonl")
    #expect(try repo.run("download", params: params).status == 0)
    #expect(repo.data("data/raw/manifest.json") == first)
    #expect(repo.data("data/raw/synthetic/cases.jsonl") == firstCases)
    #expect(repo.exists("data/raw/synthetic/cases.csv"))
    #expect(repo.exists("data/raw/synthetic/pii_truth.jsonl"))
    let xml = try FileManager.default.contentsOfDirectory(atPath: repo.root.appendingPathComponent("data/raw/synthetic/medquad").path)
    #expect(!xml.isEmpty && xml.allSatisfy { $0.hasSuffix(".xml") })
}
