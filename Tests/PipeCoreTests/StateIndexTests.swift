import Foundation
import Testing
@testable import PipeCore

@Suite struct StateIndexTests {
    func status(inode: UInt64 = 7, size: Int64 = 10, mtime: Int64 = 1_000_000_000_000) -> FileStatus {
        FileStatus(inode: inode, size: size, mtimeNanoseconds: mtime)
    }

    @Test("a lookup hits only when inode, mtime and size all match")
    func lookupMatchesMetadata() {
        var index = StateIndex()
        let st = status()
        let h = ContentHash(high: 1, low: 1)
        index.record("a", status: st, hash: h, hashedAt: st.mtimeNanoseconds + 10_000_000_000)
        #expect(index.lookup("a", status: st) == .hit(h))
        #expect(index.lookup("a", status: status(inode: 8)) == .miss)
        #expect(index.lookup("a", status: status(size: 11)) == .miss)
        #expect(index.lookup("a", status: status(mtime: 1_000_000_000_001)) == .miss)
        #expect(index.lookup("b", status: st) == .miss)
    }

    @Test("an entry hashed within the racy window of its mtime is not trusted")
    func racyEntriesAreNotTrusted() {
        var index = StateIndex(racyWindowNanoseconds: 2_000_000_000)
        let st = status()
        index.record("a", status: st, hash: ContentHash(high: 1, low: 1), hashedAt: st.mtimeNanoseconds + 1_000_000_000)
        #expect(index.lookup("a", status: st) == .racy)
        index.record("a", status: st, hash: ContentHash(high: 1, low: 1), hashedAt: st.mtimeNanoseconds + 3_000_000_000)
        #expect(index.lookup("a", status: st) == .hit(ContentHash(high: 1, low: 1)))
    }

    @Test("the binary file round-trips and is byte-identical for the same entries")
    func roundTripAndDeterminism() throws {
        let dir = try HashingScratchDirectory()
        var index = StateIndex()
        for i in 0..<500 {
            index.record("dir/file \(i) é", status: status(inode: UInt64(i), size: Int64(i), mtime: Int64(i) * 1_000_003),
                         hash: ContentHash(high: UInt64(i), low: ~UInt64(i)), hashedAt: Int64(i) * 9_000_000_000)
        }
        let url = dir.url.appendingPathComponent("state.index")
        try index.save(to: url)
        #expect(!index.isDirty)
        let (loaded, outcome) = StateIndex.load(from: url)
        #expect(outcome == .loaded(count: 500))
        #expect(loaded.entries == index.entries)
        #expect(loaded.encoded() == index.encoded())
    }

    @Test("a missing, truncated, corrupted or other-version index is discarded and starts empty")
    func damagedIndexIsDiscarded() throws {
        let dir = try HashingScratchDirectory()
        let url = dir.url.appendingPathComponent("state.index")
        #expect(StateIndex.load(from: url).outcome == .missing)
        var index = StateIndex()
        index.record("a", status: status(), hash: ContentHash(high: 1, low: 2), hashedAt: 5_000_000_000_000)
        let good = index.encoded()
        var flipped = good
        flipped[30] ^= 0x01
        var version = good
        version[8] = 9
        let damaged: [(Data, String)] = [
            (good.prefix(good.count - 1), "checksum"), (good.prefix(10), "truncated"), (flipped, "checksum"),
            (version, "version"), (Data("garbage that is long enough to pass the size check....".utf8), "magic"),
            (Data(), "truncated"),
        ]
        for (bytes, reason) in damaged {
            try bytes.write(to: url)
            let (loaded, outcome) = StateIndex.load(from: url)
            #expect(loaded.count == 0)
            guard case let .discarded(text) = outcome else { Issue.record("expected discarded, got \(outcome)"); continue }
            #expect(text.contains(reason), "\(text)")
        }
    }

    @Test("100,000 entries load in well under 100 ms")
    func loadsFast() throws {
        let dir = try HashingScratchDirectory()
        var index = StateIndex()
        for i in 0..<100_000 {
            index.record("data/shard-\(i / 1000)/record-\(i).json", status: status(inode: UInt64(i)),
                         hash: ContentHash(high: UInt64(i), low: 1), hashedAt: 9_000_000_000_000)
        }
        let url = dir.url.appendingPathComponent("state.index")
        try index.save(to: url)
        let clock = ContinuousClock()
        var outcome: StateIndex.LoadOutcome = .missing
        let elapsed = clock.measure { outcome = StateIndex.load(from: url).outcome }
        #expect(outcome == .loaded(count: 100_000))
        // a generous bound for a debug build on a shared machine; the release figure is in docs/cache.md
        #expect(elapsed < .milliseconds(1000), "loading took \(elapsed)")
    }
}
