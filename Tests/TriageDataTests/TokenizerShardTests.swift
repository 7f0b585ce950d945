import Foundation
import Testing
@testable import TriageData

/// The binary token shard format: round trip, exact layout, and damaged files.
@Suite struct TokenizerShardTests {
    private func sample() -> TokenShard {
        var shard = TokenShard()
        shard.append([9707, 1879] as [UInt32])
        shard.append([] as [UInt32])
        shard.append([151_643] as [UInt32])
        return shard
    }

    @Test("a shard round-trips through its bytes, empty records included")
    func roundTrip() throws {
        let shard = sample()
        let again = try TokenShard(data: shard.encoded())
        #expect(again == shard)
        #expect(again.count == 3)
        #expect(Array(again[0]) == [9707, 1879])
        #expect(again[1].isEmpty)
        #expect(Array(again[2]) == [151_643])
    }

    @Test("the layout is magic, version, counts, u64 offsets, then u32 ids, little-endian")
    func layout() {
        let bytes = [UInt8](sample().encoded())
        #expect(bytes.count == 24 + 4 * 8 + 3 * 4)
        #expect(Array(bytes[0..<8]) == Array("PTOKSHRD".utf8))
        #expect(Array(bytes[8..<12]) == [1, 0, 0, 0])
        #expect(Array(bytes[12..<16]) == [3, 0, 0, 0])
        #expect(Array(bytes[16..<24]) == [3, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(bytes[32..<40]) == [2, 0, 0, 0, 0, 0, 0, 0])  // offsets[1]
        #expect(Array(bytes[56..<60]) == [0xEB, 0x25, 0, 0])  // 9707
    }

    @Test("a truncated or foreign file is refused with its path and the reason")
    func damaged() {
        let bytes = sample().encoded()
        #expect(throws: TokenShardError.self) { try TokenShard(data: bytes.dropLast(2), path: "s.bin") }
        do {
            _ = try TokenShard(data: Data("not a shard at all, really not".utf8), path: "s.bin")
            Issue.record("a foreign file was accepted")
        } catch let error as TokenShardError {
            #expect(error.path == "s.bin")
            #expect(error.reason.contains("bad magic"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test("a written shard is read back from disk")
    func writeAndRead() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("shard-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: url) }
        try sample().write(to: url)
        #expect(try TokenShard(contentsOf: url) == sample())
    }
}
