import Foundation
import Testing
@testable import PipeCore

@Suite struct XXH3HasherTests {
    /// Digests printed by `xxhsum -H2` 0.8.1 for these inputs.
    static let vectors: [(bytes: [UInt8], hex: String)] = [
        ([], "99aa06d3014798d86001c324468d497f"),
        (Array("a".utf8), "a96faf705af16834e6c632b61e964e1f"),
        (Array("abc".utf8), "06b05ab6733a618578af5f94892f3950"),
        ((0..<1000).map { UInt8($0 % 251) }, "18bf41bc8229e27733ef703fb2b20ed1"),
        ((0..<(3 * 1_048_576 + 17)).map { UInt8(truncatingIfNeeded: $0 * 7) }, "b9c9b676e596230c3fa89a7c6e47b3f9"),
    ]

    @Test("one-shot hashes print exactly what xxhsum -H2 prints")
    func oneShotMatchesKnownVectors() {
        for v in Self.vectors {
            #expect(XXH3Hasher.hash(v.bytes).hex == v.hex)
        }
    }

    @Test("streaming in uneven pieces gives the same digest as one shot")
    func streamingMatchesOneShot() {
        let bytes = Self.vectors[4].bytes
        let hasher = XXH3Hasher()
        var offset = 0
        var step = 1
        while offset < bytes.count {
            let end = min(bytes.count, offset + step)
            bytes[offset..<end].withUnsafeBytes { hasher.update($0) }
            offset = end
            step = step * 3 + 1
        }
        #expect(hasher.finalize().hex == Self.vectors[4].hex)
        hasher.reset()
        #expect(hasher.finalize().hex == Self.vectors[0].hex)
    }

    @Test("file hashes match xxhsum -H2 run on the same files, across buffer boundaries")
    func fileHashMatchesXxhsum() throws {
        let dir = try HashingScratchDirectory()
        let reader = FileContentHasher(bufferSize: 4096)
        for size in [0, 1, 4095, 4096, 4097, 1_000_003] {
            let data = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ size) })
            let url = try dir.write("f\(size).bin", data)
            let (hash, read, _) = try reader.hashFile(atPath: url.path)
            #expect(read == Int64(size))
            #expect(hash.hex == (try xxhsumH2(url.path)))
        }
    }

    @Test("large files read by parallel readers hash exactly like xxhsum, at and around chunk boundaries")
    func parallelReadsMatchXxhsum() throws {
        let dir = try HashingScratchDirectory()
        // 4 KiB chunks, 2 readers, parallel from 1 byte up: exercises the ring wrap-around and every end-of-file case
        let reader = FileContentHasher(bufferSize: 4096, readers: 2, parallelThreshold: 1)
        for size in [1, 4095, 4096, 8192, 8193, 4096 * 9 + 5, 1_000_003] {
            let data = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) })
            let url = try dir.write("p\(size).bin", data)
            let (hash, read, _) = try reader.hashFile(atPath: url.path)
            #expect(read == Int64(size))
            #expect(hash.hex == (try xxhsumH2(url.path)), "size \(size)")
        }
        let three = FileContentHasher(bufferSize: 4096, readers: 3, parallelThreshold: 1)
        let url = try dir.write("three.bin", Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0) }))
        #expect(try three.hashFile(atPath: url.path).hash.hex == (try xxhsumH2(url.path)))
    }

    @Test("a missing file is an io error naming the path")
    func missingFileNamesPath() throws {
        let dir = try HashingScratchDirectory()
        let path = dir.path + "/nope.bin"
        #expect { try FileContentHasher().hashFile(atPath: path) } throws: { error in
            guard let e = error as? PipeError else { return false }
            return e.code == .io && e.message.contains(path)
        }
    }
}
