import Foundation
import Testing
@testable import StageKit

final class LineBox: @unchecked Sendable {
    let lock = NSLock()
    var lines: [String] = []
    func add(_ line: String) { lock.withLock { lines.append(line) } }
}

@Test func progressLinesHaveTheEngineFormatAndAreThrottled() throws {
    let box = LineBox()
    let progress = ProgressReporter(write: { box.add($0) })
    for i in 0...10_000 { progress.report(done: i, total: 10_000, message: "rows \"x\"") }
    #expect(box.lines.first == #"pipe:progress {"done":0,"total":10000,"message":"rows \"x\""}"#)
    #expect(box.lines.last == #"pipe:progress {"done":10000,"total":10000,"message":"rows \"x\""}"#)
    #expect(box.lines.count <= 102)
    let json = String(box.lines[5].dropFirst("pipe:progress ".count))
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    #expect(object?["total"] as? Int == 10_000)
}

@Test func checksumsMatchTheStandardTools() {
    let abc = Data("abc".utf8)
    #expect(Checksum.of(data: abc, algorithm: .sha256).hex
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(Checksum.of(data: Data(), algorithm: .sha256).hex
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    let long = Data(repeating: 0x61, count: 1_000_000)
    #expect(Checksum.of(data: long, algorithm: .sha256).hex
        == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    #expect(Checksum.of(data: abc, algorithm: .xxh3).hex == "06b05ab6733a618578af5f94892f3950")
}

@Test func checksumTextIsParsedStrictly() {
    #expect((try? Checksum.parse("sha256:" + String(repeating: "a", count: 64)).get())?.algorithm == .sha256)
    #expect((try? Checksum.parse("xxh128:" + String(repeating: "B", count: 32)).get())?.hex == String(repeating: "b", count: 32))
    #expect((try? Checksum.parse("md5:abc").get()) == nil)
    #expect((try? Checksum.parse("sha256:abc").get()) == nil)
    #expect((try? Checksum.parse("nocolon").get()) == nil)
}

@Test func stageMainMapsErrorsToExitCodesAndOneMessage() {
    let context = StageContext(stageName: "clean", repoRoot: URL(fileURLWithPath: "/tmp"))
    let box = LineBox()
    let bad = StageMain.execute(context, errorOutput: { box.add($0) }) { _ in
        throw StageError(.badParams, "unknown param 'clean.x'", fix: "remove it")
    }
    let failed = StageMain.execute(context, errorOutput: { box.add($0) }) { _ in
        throw StageError(.badInput, "broken row")
    }
    let fine = StageMain.execute(context, errorOutput: { box.add($0) }) { _ in }
    #expect(bad == 2)
    #expect(failed == 1)
    #expect(fine == 0)
    #expect(box.lines == ["error: clean: unknown param 'clean.x'\n  fix: remove it", "error: clean: broken row"])
}
