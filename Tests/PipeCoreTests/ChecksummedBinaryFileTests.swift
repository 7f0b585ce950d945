import Foundation
import Testing
@testable import PipeCore

/// The codec under both index files: fields are laid out little-endian, and a file whose checksum is right but
/// whose records are not what the writer produces is still refused with a reason, never read out of bounds.
@Suite struct ChecksummedBinaryFileTests {
    /// A well-checksummed state index claiming `count` records whose bytes `writeRecords` appends.
    private func stateFile(count: Int, _ writeRecords: (inout BinaryRecordWriter) -> Void) -> Data {
        StateIndex.fileFormat.encode(count: count, reservingCapacity: 0, writeRecords)
    }

    /// Appends the 48 field bytes of a state index entry.
    private func stateFields(_ writer: inout BinaryRecordWriter) {
        for value in 1...6 { writer.append(UInt64(value)) }
    }

    private func littleEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    private func reason<Entries>(_ result: Result<Entries, BinaryFormatProblem>) -> String? {
        if case let .failure(problem) = result { return problem.reason }
        return nil
    }

    @Test("the writer lays out integers little-endian, strings length-prefixed and seals with the XXH3-128 of the rest")
    func writerLayout() {
        let format = ChecksummedBinaryFile(magic: "TESTFILE", version: 7, kind: "test file", minimumRecordSize: 1)
        var writer = BinaryRecordWriter(format: format, count: 3)
        writer.append(UInt32(0x0102_0304))
        writer.append(Int64(-1))
        writer.appendLengthPrefixed("é")
        let bytes = writer.finish()
        let header: [UInt8] = Array("TESTFILE".utf8) + [7, 0, 0, 0] + [0, 0, 0, 0] + [3, 0, 0, 0, 0, 0, 0, 0]
        let body = header + [4, 3, 2, 1] + Array(repeating: 0xFF, count: 8) + [2, 0, 0, 0, 0xC3, 0xA9]
        let sum = XXH3Hasher.hash(body)
        #expect(bytes == body + littleEndian(sum.high) + littleEndian(sum.low))
    }

    @Test("the reader gives back what the writer wrote and refuses to read past the end without moving")
    func readerRoundTripAndBounds() throws {
        let format = ChecksummedBinaryFile(magic: "TESTFILE", version: 1, kind: "test file", minimumRecordSize: 1)
        var writer = BinaryRecordWriter(format: format, count: 1)
        writer.appendLengthPrefixed("dir/é")
        writer.append(Int64.min)
        writer.append(ContentHash(high: 5, low: 6))
        writer.append(UInt8(9))
        let data = Data(writer.finish())
        let result = format.decode(data) { (reader, count) throws(BinaryFormatProblem) in
            #expect(count == 1)
            let path = try reader.readLengthPrefixedString()
            let mtime: Int64 = try reader.read()
            let hash = try reader.readContentHash()
            #expect(reader.remaining == 1)
            #expect(throws: BinaryFormatProblem(reason: "truncated entry")) { _ = try reader.read(UInt16.self) }
            #expect(reader.remaining == 1)
            let last: UInt8 = try reader.read()
            return "\(path) \(mtime) \(hash.high) \(hash.low) \(last)"
        }
        #expect(try result.get() == "dir/é \(Int64.min) 5 6 9")
    }

    @Test("a record whose path or fields run past the end is refused as a truncated entry")
    func overrunningRecords() {
        let shortFields = stateFile(count: 1) { writer in
            writer.appendLengthPrefixed("abcdefghi")          // 13 bytes, so the count is plausible (53)
            for _ in 0..<5 { writer.append(UInt64(0)) }       // 40 of the 48 field bytes
        }
        #expect(reason(StateIndex.decode(shortFields)) == "truncated entry")
        let secondShort = stateFile(count: 2) { writer in
            writer.appendLengthPrefixed("a")
            stateFields(&writer)
            writer.appendLengthPrefixed("bcdefghij")
            for _ in 0..<5 { writer.append(UInt64(0)) }
        }
        #expect(reason(StateIndex.decode(secondShort)) == "truncated entry")
        let hugePath = stateFile(count: 1) { writer in
            writer.append(UInt32.max)                        // a path longer than the file
            stateFields(&writer)
            writer.append(UInt64(0))
        }
        #expect(reason(StateIndex.decode(hugePath)) == "truncated entry")
    }

    @Test("a record count the file's size cannot hold is refused before anything is allocated for it")
    func impossibleCount() {
        let data = stateFile(count: 1_000_000) { writer in
            writer.appendLengthPrefixed("a")
            stateFields(&writer)
        }
        #expect(reason(StateIndex.decode(data)) == "entry count 1000000 too large")
        let path = PathSummaryIndex.fileFormat.encode(count: Int(Int64.max), reservingCapacity: 0) { _ in }
        #expect(reason(PathSummaryIndex.decode(path)) == "entry count \(Int64.max) too large")
    }

    @Test("bytes after the last record, an empty path and a repeated path are each refused with their reason")
    func recordsTheWriterNeverProduces() {
        let trailing = stateFile(count: 1) { writer in
            writer.appendLengthPrefixed("a")
            stateFields(&writer)
            writer.append(UInt16(0))
            writer.append(UInt8(0))
        }
        #expect(reason(StateIndex.decode(trailing)) == "3 trailing bytes")
        let empty = stateFile(count: 1) { writer in
            writer.appendLengthPrefixed("")
            stateFields(&writer)
            writer.append(UInt8(0))                          // keeps the count plausible
        }
        #expect(reason(StateIndex.decode(empty)) == "empty path")
        let repeated = stateFile(count: 2) { writer in
            for _ in 0..<2 {
                writer.appendLengthPrefixed("same")
                stateFields(&writer)
            }
        }
        #expect(reason(StateIndex.decode(repeated)) == "duplicate path same")
    }

    @Test("a path summary with an unknown kind or a file count beyond Int is refused, naming the path")
    func pathSummaryFieldChecks() throws {
        func file(kind: UInt8, fileCount: UInt64) -> Data {
            PathSummaryIndex.fileFormat.encode(count: 1, reservingCapacity: 0) { writer in
                writer.appendLengthPrefixed("data")
                writer.append(kind)
                writer.append(UInt64(1))
                writer.append(UInt64(2))
                writer.append(fileCount)
                for _ in 0..<5 { writer.append(UInt64(0)) }
            }
        }
        #expect(reason(PathSummaryIndex.decode(file(kind: 2, fileCount: 1))) == "bad kind 2 for data")
        #expect(reason(PathSummaryIndex.decode(file(kind: 1, fileCount: UInt64.max))) == "bad file count for data")
        let good = PathSummaryIndex.decode(file(kind: 1, fileCount: 3))
        #expect(try good.get()["data"]?.fingerprint.fileCount == 3)
    }

    @Test("a file of another version is refused as stale, naming both versions")
    func otherVersion() {
        let newer = ChecksummedBinaryFile(magic: "PIPESTAT", version: 2, kind: "state index", minimumRecordSize: 53)
        let data = newer.encode(count: 0, reservingCapacity: 0) { _ in }
        #expect(reason(StateIndex.decode(data)) == "format version 2, want 1")
    }

    @Test("flipping any single byte or cutting the file anywhere makes the pinned indexes refused, never misread")
    func everyByteIsChecked() {
        let good = StateIndex(entries: IndexFileBytesTests.stateEntries).encoded()
        let goodPaths = PathSummaryIndex(entries: IndexFileBytesTests.pathEntries).encoded()
        #expect((try? StateIndex.decode(good).get()) == IndexFileBytesTests.stateEntries)
        for at in good.indices {
            var flipped = good
            flipped[at] ^= 0x40
            #expect(reason(StateIndex.decode(flipped)) != nil, "byte \(at) flipped was accepted")
        }
        for length in 0..<good.count {
            #expect(reason(StateIndex.decode(good.prefix(length))) != nil, "a \(length)-byte prefix was accepted")
        }
        for at in goodPaths.indices {
            var flipped = goodPaths
            flipped[at] ^= 0x40
            #expect(reason(PathSummaryIndex.decode(flipped)) != nil, "byte \(at) flipped was accepted")
        }
    }
}
