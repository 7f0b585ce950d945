import Foundation
import Testing
@testable import PipeCore

/// Pins the on-disk bytes of `.cache/state.index` and `.cache/paths.index` (format version 1), so that a change to
/// how they are written can never silently invalidate, or worse misread, the indexes users already have.
///
/// The expected bytes were produced by the encoders as they stood before the shared codec was extracted, and
/// checked against an independent construction (Python `struct` + `xxhsum -H2` for the trailer).
@Suite struct IndexFileBytesTests {
    /// A state index with an ASCII path and a non-ASCII one, extreme and negative fields.
    static let stateEntries: [String: StateIndex.Entry] = [
        "a.txt": .init(inode: 7, size: 10, mtimeNanoseconds: 1_000_000_000_000, hashedAtNanoseconds: 5_000_000_000_000,
                       hash: ContentHash(high: 0x0123_4567_89ab_cdef, low: 0xfedc_ba98_7654_3210)),
        "dir/é ü.bin": .init(inode: 0xFFFF_FFFF_FFFF_FFFE, size: 0, mtimeNanoseconds: -5, hashedAtNanoseconds: 3,
                             hash: ContentHash(high: 1, low: 2)),
    ]

    /// The version 1 bytes of `stateEntries`.
    static let stateBytes = """
        50495045535441540100000000000000020000000000000005000000612e74787407000000000000000a000000000000\
        000010a5d4e8000000005039278c040000efcdab89674523011032547698badcfe0d0000006469722fc3a920c3bc2e62\
        696efeffffffffffffff0000000000000000fbffffffffffffff03000000000000000100000000000000020000000000\
        00009dec6828535769b603a5682c969b3ecb
        """

    /// A path summary index with a directory, an empty directory (newest mtime `Int64.min`) and a file.
    static let pathEntries: [String: PathSummaryIndex.Entry] = [
        "data": .init(fingerprint: PathFingerprint(high: 0xAAAA_AAAA_AAAA_AAAA, low: 0x5555_5555_5555_5555, fileCount: 41,
                                                   totalSize: 123_456, latestMtimeNanoseconds: 1_700_000_000_000_000_000),
                      recordedAtNanoseconds: 1_700_000_100_000_000_000, hash: ContentHash(high: 3, low: 4), isDirectory: true),
        "empty-dir": .init(fingerprint: PathFingerprint(), recordedAtNanoseconds: 0, hash: ContentHash(high: 5, low: 6),
                           isDirectory: true),
        "model.bin": .init(fingerprint: PathFingerprint(high: 9, low: 10, fileCount: 1, totalSize: 1 << 40,
                                                        latestMtimeNanoseconds: 42),
                           recordedAtNanoseconds: -43, hash: ContentHash(high: 7, low: 8), isDirectory: false),
    ]

    /// The version 1 bytes of `pathEntries`.
    static let pathBytes = """
        504950455041544801000000000000000300000000000000040000006461746101aaaaaaaaaaaaaaaa55555555555555\
        55290000000000000040e201000000000000002a36fe9c971700e8a07e159d9717030000000000000004000000000000\
        0009000000656d7074792d64697201000000000000000000000000000000000000000000000000000000000000000000\
        00000000000080000000000000000005000000000000000600000000000000090000006d6f64656c2e62696e00090000\
        00000000000a00000000000000010000000000000000000000000100002a00000000000000d5ffffffffffffff070000\
        000000000008000000000000008c000a4aea12b69ef161026d72fef4ab
        """

    @Test("a small state index encodes to exactly the version 1 bytes")
    func stateIndexBytesArePinned() {
        let index = StateIndex(entries: Self.stateEntries)
        #expect(hex(index.encoded()) == Self.stateBytes)
    }

    @Test("an empty state index is its 24-byte header and the checksum of it")
    func emptyStateIndexBytesArePinned() {
        #expect(hex(StateIndex().encoded())
            == "50495045535441540100000000000000000000000000000050ab1604b86e3ac350b445008d0704b3")
    }

    @Test("the pinned state index bytes, written before the shared codec, still load into the same entries")
    func pinnedStateIndexLoads() throws {
        let dir = try HashingScratchDirectory()
        let url = try dir.write("state.index", bytes(Self.stateBytes))
        let (index, outcome) = StateIndex.load(from: url)
        #expect(outcome == .loaded(count: 2))
        #expect(index.entries == Self.stateEntries)
    }

    @Test("a small path summary index encodes to exactly the version 1 bytes")
    func pathSummaryIndexBytesArePinned() {
        let index = PathSummaryIndex(entries: Self.pathEntries)
        #expect(hex(index.encoded()) == Self.pathBytes)
    }

    @Test("an empty path summary index is its 24-byte header and the checksum of it")
    func emptyPathSummaryIndexBytesArePinned() {
        #expect(hex(PathSummaryIndex().encoded())
            == "50495045504154480100000000000000000000000000000065c76f74da7fba1948d16769ddbf1470")
    }

    @Test("the pinned path summary index bytes, written before the shared codec, still load into the same entries")
    func pinnedPathSummaryIndexLoads() throws {
        let dir = try HashingScratchDirectory()
        let url = try dir.write("paths.index", bytes(Self.pathBytes))
        let (index, outcome) = PathSummaryIndex.load(from: url, racyWindowNanoseconds: StateIndex.defaultRacyWindowNanoseconds)
        #expect(outcome == .loaded(count: 3))
        #expect(index.entries == Self.pathEntries)
    }

    @Test("each index refuses the other's file by its magic")
    func magicTellsTheKindsApart() throws {
        let dir = try HashingScratchDirectory()
        let stateURL = try dir.write("state.index", bytes(Self.stateBytes))
        let pathURL = try dir.write("paths.index", bytes(Self.pathBytes))
        let asPaths = PathSummaryIndex.load(from: stateURL, racyWindowNanoseconds: 0)
        let asState = StateIndex.load(from: pathURL)
        #expect(asPaths.index.count == 0 && asState.index.count == 0)
        #expect(asPaths.outcome == .discarded(reason: "not a path summary index (bad magic)"))
        #expect(asState.outcome == .discarded(reason: "not a state index (bad magic)"))
    }

    private func hex(_ data: Data) -> String {
        data.map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }

    private func bytes(_ hex: String) -> Data {
        let digits = Array(hex.utf8)
        return Data(stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)! })
    }
}
