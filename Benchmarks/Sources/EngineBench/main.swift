// EngineBench: hashing throughput and directory-hash figures for the engine (see Benchmarks/bench-hash.sh).
//
//   EngineBench hash FILE [--repeat N] [--buffer BYTES] [--readers N]
//                                                          GiB/s of the first (and repeated) hash of a file
//   EngineBench dirhash DIR [--threads N]                  100k-file directory: cold-index and warm-index times
//   EngineBench walk DIR                                   stat-only walk: opendir/fstatat vs FileManager
//   EngineBench fpwalk DIR [--runs N]                      fingerprint walk (what status does) on 1 and 2 threads
//   EngineBench maketree DIR COUNT                         creates COUNT small files under DIR (1,000 per folder)
import Foundation
import PipeCore

func option(_ name: String, default value: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else { return value }
    return v
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

let clock = ContinuousClock()
let args = CommandLine.arguments
guard args.count >= 3 else {
    fail("usage: EngineBench hash FILE [--repeat N] [--buffer BYTES] | dirhash DIR [--threads N] | walk DIR | maketree DIR COUNT")
}

switch args[1] {
case "hash":
    let path = args[2]
    let reader = FileContentHasher(bufferSize: option("--buffer", default: FileContentHasher.defaultBufferSize),
                                   readers: option("--readers", default: 1))
    for run in 0..<option("--repeat", default: 1) {
        var result: (hash: ContentHash, size: Int64, status: FileStatus)?
        let elapsed = clock.measure { result = try? reader.hashFile(atPath: path) }
        guard let result else { fail("cannot hash \(path)") }
        let gib = Double(result.size) / Double(1 << 30)
        print(String(format: "hash run %d: %@  %.3f GiB in %.4f s = %.2f GiB/s", run + 1, result.hash.hex, gib,
                     seconds(elapsed), gib / seconds(elapsed)))
    }

case "dirhash":
    // The directory must be inside a "repo": we use its parent as the root and the directory name as the path.
    let dir = URL(fileURLWithPath: args[2]).standardizedFileURL
    let root = dir.deletingLastPathComponent()
    let cache = FileManager.default.temporaryDirectory.appendingPathComponent("enginebench-\(getpid())")
    defer { try? FileManager.default.removeItem(at: cache) }
    let threads = option("--threads", default: 2)
    let cold = FileHasher(repoRoot: root, cacheRoot: cache, threads: threads, racyWindowNanoseconds: 0)
    var entry: HashedEntry?
    let coldTime = clock.measure { entry = try? cold.hashEntry(repoPath: dir.lastPathComponent) }
    guard let entry else { fail("cannot hash \(dir.path)") }
    let saveTime = clock.measure { try? cold.save() }
    print(String(format: "cold index (no state index, page cache warm): %d files, %.1f MiB read in %.3f s (%d threads)", entry.nfiles ?? 0,
                 Double(cold.counters.bytesHashed) / 1_048_576, seconds(coldTime), threads))
    print(String(format: "index save: %.1f ms", seconds(saveTime) * 1000))
    var best = Double.infinity
    defer { print(String(format: "warm index best of 5: %.1f ms (state index load + stat-only walk + manifest hash)", best * 1000)) }
    for run in 1...5 {
        var warm: FileHasher?
        let loadTime = clock.measure { warm = FileHasher(repoRoot: root, cacheRoot: cache, threads: threads, racyWindowNanoseconds: 0) }
        var again: HashedEntry?
        let warmTime = clock.measure { again = try? warm!.hashEntry(repoPath: dir.lastPathComponent) }
        guard again == entry else { fail("warm hash differs from cold hash") }
        best = min(best, seconds(loadTime) + seconds(warmTime))
        print(String(format: "warm index run %d: load %.1f ms + hash %.1f ms = %.1f ms (%d hits, %d files read)", run,
                     seconds(loadTime) * 1000, seconds(warmTime) * 1000, (seconds(loadTime) + seconds(warmTime)) * 1000,
                     warm!.counters.indexHits, warm!.counters.filesHashed))
    }
    print("hash \(entry.hash.hex) nfiles \(entry.nfiles ?? 0) size \(entry.size)")

case "walk":
    let dir = args[2]
    for run in 1...3 {
        var count = 0
        let posix = clock.measure {
            let ignore = PipeIgnore()
            count = (try? FileHasher.statWalk(absolutePath: dir, ignore: ignore).count) ?? -1
        }
        var fmCount = 0
        let fm = clock.measure {
            let keys: [URLResourceKey] = [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey, .isExecutableKey]
            let e = FileManager.default.enumerator(at: URL(fileURLWithPath: dir), includingPropertiesForKeys: keys)!
            for case let url as URL in e {
                if let v = try? url.resourceValues(forKeys: Set(keys)), v.isRegularFile == true { fmCount += 1 }
            }
        }
        print(String(format: "walk run %d: opendir/fstatat %d files in %.1f ms; FileManager %d files in %.1f ms", run,
                     count, seconds(posix) * 1000, fmCount, seconds(fm) * 1000))
    }

case "fpwalk":
    let dir = args[2]
    for run in 1...option("--runs", default: 5) {
        var line = "fingerprint walk run \(run):"
        for threads in [1, 2] {
            var fingerprint: PathFingerprint?
            let elapsed = clock.measure {
                fingerprint = FileHasher.fingerprintWalk(absolutePath: dir, ignore: PipeIgnore(), threads: threads)
            }
            guard let fingerprint else { fail("the fingerprint walk deferred to the full walk on \(dir)") }
            line += String(format: "  %d thread(s) %d files in %.1f ms", threads, fingerprint.fileCount, seconds(elapsed) * 1000)
        }
        print(line)
    }

case "maketree":
    guard args.count >= 4, let count = Int(args[3]) else { fail("usage: EngineBench maketree DIR COUNT") }
    let dir = URL(fileURLWithPath: args[2])
    for i in 0..<count {
        let folder = dir.appendingPathComponent(String(format: "shard-%03d", i / 1000))
        if i % 1000 == 0 { try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let text = "{\"id\": \(i), \"text\": \"record number \(i)\"}\n"
        _ = FileManager.default.createFile(atPath: folder.appendingPathComponent("record-\(i).json").path, contents: Data(text.utf8))
    }
    // age the files so no state-index entry is racy
    let past = Date(timeIntervalSinceNow: -3600)
    let e = FileManager.default.enumerator(atPath: dir.path)!
    for case let rel as String in e {
        try? FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: dir.appendingPathComponent(rel).path)
    }
    print("created \(count) files under \(dir.path)")

default:
    fail("unknown mode \(args[1])")
}
