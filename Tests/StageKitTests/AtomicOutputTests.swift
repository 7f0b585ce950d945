import Foundation
import Testing
@testable import StageKit

func makeTempDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("stagekit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Test func anAtomicWriteReplacesTheFileAndLeavesNoTempBehind() throws {
    let dir = try makeTempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let target = dir.appendingPathComponent("sub/out.txt")
    try AtomicOutput.write("one", to: target)
    try AtomicOutput.write("two", to: target)
    #expect(try String(contentsOf: target, encoding: .utf8) == "two")
    #expect(try FileManager.default.contentsOfDirectory(atPath: target.deletingLastPathComponent().path) == ["out.txt"])
}

@Test func aFailedDirectoryBuildKeepsThePreviousOutput() throws {
    let dir = try makeTempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("data")
    try AtomicOutput.writeDirectory(at: out) { try AtomicOutput.write("v1", to: $0.appendingPathComponent("a.txt")) }
    struct Boom: Error {}
    #expect(throws: Boom.self) {
        try AtomicOutput.writeDirectory(at: out) { temp in
            try AtomicOutput.write("v2", to: temp.appendingPathComponent("a.txt"))
            throw Boom()
        }
    }
    #expect(try String(contentsOf: out.appendingPathComponent("a.txt"), encoding: .utf8) == "v1")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["data"])
    try AtomicOutput.writeDirectory(at: out) { try AtomicOutput.write("v3", to: $0.appendingPathComponent("b.txt")) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["b.txt"])
}
