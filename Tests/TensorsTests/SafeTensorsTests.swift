import Foundation
import Testing
@testable import Tensors
import PipeBasics

@Suite("safetensors read and write")
struct SafeTensorsTests {
    /// One tensor of every supported dtype with awkward values.
    static func sampleTensors() -> [String: SafeTensorsEntry] {
        [
            "a.f32": .float32([1.5, -0.0, .infinity, 3.25e-30, -2, 7], shape: [2, 3]),
            "b.f16": .float16([1, -2.5, 65504, 0.00006103515625, 5.960464477539063e-08], shape: [5]),
            "c.bf16": .bfloat16([1, -2.5, 3.140625, 3.3895314e38], shape: [2, 2]),
            "d.u8": .uint8([0, 1, 127, 128, 255], shape: [5, 1]),
            "e.i64": .int64([Int64.min, -1, 0, 1, Int64.max], shape: [5]),
            "f.i32": .int32([Int32.min, -7, 42], shape: [3]),
            "g.scalar": .float32([42], shape: []),
            "h.empty": .float32([], shape: [0, 4]),
        ]
    }

    @Test("Every dtype round trips through a file: same bytes, shapes, dtypes and values")
    func roundTripEveryDType() throws {
        let directory = try makeTemporaryDirectory("roundtrip")
        let path = directory + "/model.safetensors"
        let tensors = Self.sampleTensors()
        try SafeTensorsWriter.write(tensors, to: path)
        let file = try SafeTensorsFile(path: path)
        #expect(file.metadata == ["format": "pt"])
        #expect(file.names == tensors.keys.sorted())
        for (name, entry) in tensors {
            let info = try file.info(name)
            #expect(info.dtype == entry.dtype)
            #expect(info.shape == entry.shape)
            #expect(try file.bytes(name) == entry.bytes)
        }
        #expect(try file.floats("a.f32")[0] == 1.5)
        #expect(try file.floats("b.f16") == [1, -2.5, 65504, 0.00006103515625, 5.960464477539063e-08])
        #expect(try file.floats("c.bf16") == [1, -2.5, 3.140625, 3.3895314e38])
        #expect(try file.uint8s("d.u8") == [0, 1, 127, 128, 255])
        #expect(try file.int64s("e.i64") == [Int64.min, -1, 0, 1, Int64.max])
        #expect(try file.int32s("f.i32") == [Int32.min, -7, 42])
        #expect(try file.floats("g.scalar") == [42])
        #expect(try file.floats("h.empty").isEmpty)
    }

    @Test("Releasing a tensor's mapped pages leaves every tensor readable with the same values")
    func releasingPagesKeepsTensorsReadable() throws {
        let directory = try makeTemporaryDirectory("release")
        let path = directory + "/model.safetensors"
        // Large enough to span several pages, so whole pages are actually dropped.
        let big = (0..<40_000).map { Float($0) * 0.5 }
        try SafeTensorsWriter.write(["big": .float32(big, shape: [200, 200]), "small": .float32([1, 2, 3], shape: [3])],
                                    to: path)
        let file = try SafeTensorsFile(path: path)
        #expect(try file.floats("big") == big)
        try file.releasePages("big")
        try file.releasePages("small")
        #expect(try file.floats("big") == big)
        #expect(try file.floats("small") == [1, 2, 3])
        #expect(throws: SafeTensorsError.self) { try file.releasePages("missing") }
    }

    @Test("The header is 8-byte aligned JSON with __metadata__ first and data ordered by dtype size then name")
    func headerLayout() throws {
        let bytes = SafeTensorsWriter.encode(["z": .uint8([1], shape: [1]), "a": .float32([2], shape: [1]),
                                              "m": .int64([3], shape: [1])])
        let length = Int(bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        #expect(length % 8 == 0)
        let json = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
        #expect(json.hasPrefix("{\"__metadata__\":{\"format\":\"pt\"},\"m\":{\"dtype\":\"I64\""))
        #expect(json.contains("\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}"))
        #expect(json.contains("\"z\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[12,13]}"))
        #expect(bytes.count == 8 + length + 13)
    }

    @Test("Writing is deterministic and atomic: identical bytes, no temp files left, old file replaced whole")
    func deterministicAtomicWrite() throws {
        let directory = try makeTemporaryDirectory("atomic")
        let path = directory + "/x.safetensors"
        try SafeTensorsWriter.write(Self.sampleTensors(), to: path)
        let first = try Data(contentsOf: URL(fileURLWithPath: path))
        try SafeTensorsWriter.write(Self.sampleTensors(), to: path)
        let second = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(first == second)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["x.safetensors"])
    }

    @Test("Writing where a file blocks the directory fails with writeFailed naming the destination, leaving only it")
    func writeFailure() throws {
        let directory = try makeTemporaryDirectory("writefail")
        try AtomicFileWriter.write("not a directory", to: directory + "/no")
        let path = directory + "/no/dir/model.safetensors"
        do {
            try SafeTensorsWriter.write(["a": .uint8([1], shape: [1])], to: path)
            Issue.record("expected writeFailed")
        } catch let error as SafeTensorsError {
            #expect(error.code == .writeFailed)
            #expect(error.path == path)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["no"])
    }

    @Test("Opening a missing file is an unreadable error naming it")
    func missingFile() throws {
        let path = try makeTemporaryDirectory("missingfile") + "/absent.safetensors"
        #expect(throws: SafeTensorsError(.unreadable, path: path, "cannot open: No such file or directory")) {
            try SafeTensorsFile(path: path)
        }
    }

    @Test("bf16 and f16 conversion round to nearest even like PyTorch")
    func halfRounding() {
        // 1 + 2⁻⁸ is halfway between bf16 1 and 1 + 2⁻⁷: ties to even (1).
        #expect(HalfPrecision.bfloat16Bits(1.00390625) == 0x3F80)
        #expect(HalfPrecision.bfloat16Bits(1.01171875) == 0x3F82)  // 1 + 3·2⁻⁸ → up to even
        #expect(HalfPrecision.bfloat16Bits(-2) == 0xC000)
        #expect(HalfPrecision.float(bfloat16: HalfPrecision.bfloat16Bits(.nan)).isNaN)
        #expect(HalfPrecision.float16Bits(1.0009765625 / 2 + 0.5) == 0x3C00)  // 1 + 2⁻¹¹ ties to 1
        #expect(HalfPrecision.float16Bits(65520) == 0x7C00)  // rounds up to infinity
        #expect(HalfPrecision.float16Bits(5.960464477539063e-08) == 0x0001)
        #expect(HalfPrecision.float(float16: 0x0001) == 5.960464477539063e-08)
        #expect(HalfPrecision.float(float16: 0xC000) == -2)
    }
}

@Suite("safetensors rejects corrupt files with errors naming the file")
struct SafeTensorsCorruptionTests {
    /// Writes `bytes` to a temp file and returns the error opening it raises.
    func openError(_ bytes: [UInt8]) throws -> SafeTensorsError? {
        let directory = try makeTemporaryDirectory("corrupt")
        let path = directory + "/bad.safetensors"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        do {
            _ = try SafeTensorsFile(path: path)
            return nil
        } catch let error as SafeTensorsError {
            #expect(error.path == path)
            #expect(error.description.hasPrefix(path + ": "))
            return error
        }
    }

    /// A file with the given header JSON and `dataLength` zero bytes of data.
    func file(header: String, dataLength: Int) -> [UInt8] {
        let json = Array(header.utf8)
        return SafeTensorsEntry.littleEndianBytes([UInt64(json.count)]) + json + [UInt8](repeating: 0, count: dataLength)
    }

    @Test("A file shorter than the 8-byte length is truncated")
    func tooShort() throws {
        #expect(try openError([1, 2, 3])?.code == .truncatedHeader)
    }

    @Test("A header length past the end of the file is truncated")
    func lengthPastEnd() throws {
        #expect(try openError(SafeTensorsEntry.littleEndianBytes([UInt64(500)]) + Array("{}".utf8))?.code == .truncatedHeader)
    }

    @Test("An absurd header length is rejected before reading")
    func hugeLength() throws {
        #expect(try openError(SafeTensorsEntry.littleEndianBytes([UInt64.max]) + [0])?.code == .headerTooLarge)
    }

    @Test("A header that is not JSON is rejected")
    func badJSON() throws {
        #expect(try openError(file(header: "{\"a\": {\"dtype\": ", dataLength: 0))?.code == .invalidHeaderJSON)
        #expect(try openError(file(header: "[1, 2]  ", dataLength: 0))?.code == .invalidHeaderJSON)
    }

    @Test("Overlapping data offsets are rejected")
    func overlappingOffsets() throws {
        let header = """
            {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}
            """
        let error = try openError(file(header: header, dataLength: 12))
        #expect(error?.code == .invalidOffsets)
        #expect(error?.message.contains("overlaps") == true)
    }

    @Test("A gap between tensors is rejected")
    func gapInOffsets() throws {
        let header = """
            {"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[4,6]}}
            """
        #expect(try openError(file(header: header, dataLength: 6))?.code == .invalidOffsets)
    }

    @Test("Truncated tensor data is rejected")
    func truncatedData() throws {
        let header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}"
        let error = try openError(file(header: header, dataLength: 10))
        #expect(error?.code == .dataLengthMismatch)
        #expect(error?.message.contains("truncated") == true)
    }

    @Test("A byte range that does not match shape × dtype size is rejected")
    func sizeMismatch() throws {
        let header = "{\"a\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,8]}}"
        #expect(try openError(file(header: header, dataLength: 8))?.code == .sizeMismatch)
    }

    @Test("Unknown dtypes and malformed entries are rejected")
    func badEntries() throws {
        #expect(try openError(file(header: "{\"a\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,1]}}",
                                   dataLength: 1))?.code == .unsupportedDType)
        #expect(try openError(file(header: "{\"a\":{\"dtype\":\"U8\",\"shape\":[-1],\"data_offsets\":[0,1]}}",
                                   dataLength: 1))?.code == .invalidTensorEntry)
        #expect(try openError(file(header: "{\"a\":{\"dtype\":\"U8\",\"shape\":[1]}}", dataLength: 1))?.code
                == .invalidTensorEntry)
    }

    @Test("A missing tensor and a wrong dtype request are typed errors")
    func missingAndWrongType() throws {
        let directory = try makeTemporaryDirectory("missing")
        let path = directory + "/m.safetensors"
        try SafeTensorsWriter.write(["layer.weight": .uint8([1], shape: [1])], to: path)
        let file = try SafeTensorsFile(path: path)
        #expect(throws: SafeTensorsError.self) { try file.floats("layer.weight") }
        do {
            _ = try file.info("layer.bias")
            Issue.record("expected missingTensor")
        } catch let error as SafeTensorsError {
            #expect(error.code == .missingTensor)
        }
    }
}

@Suite("Sharded safetensors checkpoints")
struct SafeTensorsCheckpointTests {
    @Test("Tensors over the shard limit are split into numbered shards with a sorted index and read back")
    func shardedRoundTrip() throws {
        let directory = try makeTemporaryDirectory("sharded")
        var tensors: [String: SafeTensorsEntry] = [:]
        for index in 0..<5 { tensors["layer.\(index).weight"] = .float32([Float](repeating: Float(index), count: 100), shape: [10, 10]) }
        let written = try SafeTensorsCheckpoint.write(tensors, to: directory, maxShardBytes: 900)
        #expect(written == ["model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                            "model-00003-of-00003.safetensors", "model.safetensors.index.json"])
        let index = try String(contentsOfFile: directory + "/model.safetensors.index.json", encoding: .utf8)
        #expect(index.contains("\"total_size\": 2000"))
        #expect(index.contains("\"layer.4.weight\": \"model-00003-of-00003.safetensors\""))
        let checkpoint = try SafeTensorsCheckpoint(directory: directory)
        #expect(checkpoint.names == tensors.keys.sorted())
        #expect(try checkpoint.floats("layer.3.weight") == [Float](repeating: 3, count: 100))
        #expect(checkpoint.files.count == 3)
    }

    @Test("Small checkpoints are one model.safetensors and no index, replacing an earlier sharded layout")
    func singleFile() throws {
        let directory = try makeTemporaryDirectory("single")
        let big: [String: SafeTensorsEntry] = ["x": .float32([1, 2], shape: [2]), "y": .float32([3, 4], shape: [2])]
        try SafeTensorsCheckpoint.write(big, to: directory, maxShardBytes: 8)
        let written = try SafeTensorsCheckpoint.write(["a": .float32([1], shape: [1])], to: directory)
        #expect(written == ["model.safetensors"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["model.safetensors"])
        #expect(try SafeTensorsCheckpoint(directory: directory).names == ["a"])
    }

    @Test("An index naming a missing shard or a tensor its shard lacks is rejected")
    func badIndex() throws {
        let directory = try makeTemporaryDirectory("badindex")
        try SafeTensorsWriter.write(["a": .float32([1], shape: [1])], to: directory + "/model-00001-of-00001.safetensors")
        let indexPath = directory + "/model.safetensors.index.json"
        try AtomicFileWriter.write(Array(#"{"weight_map": {"a": "model-00001-of-00001.safetensors", "b": "model-00001-of-00001.safetensors"}}"#.utf8), to: indexPath)
        #expect(throws: SafeTensorsError(.invalidIndex, path: indexPath,
                                         "weight_map puts 'b' in model-00001-of-00001.safetensors, which does not hold it")) {
            try SafeTensorsCheckpoint(directory: directory)
        }
        try AtomicFileWriter.write(Array(#"{"weight_map": {"a": "gone.safetensors"}}"#.utf8), to: indexPath)
        do {
            _ = try SafeTensorsCheckpoint(directory: directory)
            Issue.record("expected invalidIndex")
        } catch let error as SafeTensorsError {
            #expect(error.code == .invalidIndex)
            #expect(error.message.contains("gone.safetensors"))
        }
    }
}
