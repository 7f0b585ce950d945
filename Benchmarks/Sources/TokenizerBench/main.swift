// Tokenizer encode throughput: loads a tokenizer.json, encodes every line of a text file on one thread with one
// TokenEncoder, and prints one JSON line of figures. bench-tokenizer.sh runs Hugging Face `tokenizers` on the same
// file and tokenizer side by side and prints the ratios.
//
// Usage: TokenizerBench --tokenizer tokenizer.json --text corpus.txt [--runs 5]
import Foundation
import Triage

func argument(_ name: String) -> String? {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

guard let tokenizerPath = argument("--tokenizer"), let textPath = argument("--text") else {
    FileHandle.standardError.write(Data("usage: TokenizerBench --tokenizer FILE --text FILE [--runs N]\n".utf8))
    exit(2)
}
let runs = Int(argument("--runs") ?? "5") ?? 5

let loadStart = ContinuousClock.now
let tokenizer = try Tokenizer(contentsOf: URL(fileURLWithPath: tokenizerPath))
let loadSeconds = (ContinuousClock.now - loadStart) / .seconds(1)
let text = try String(contentsOfFile: textPath, encoding: .utf8)
let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
let bytes = lines.reduce(0) { $0 + $1.utf8.count }

/// CPU time of the calling thread: robust against other jobs competing for the cores, unlike wall time.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

var best = Double.infinity
var bestCPU = Double.infinity
var tokens = 0
var checksum: UInt64 = 0
var hitRate = 0.0
for _ in 0..<runs {
    let encoder = TokenEncoder(tokenizer)  // a cold cache each run, as HF starts each process cold
    var ids: [UInt32] = []
    ids.reserveCapacity(bytes / 3)
    let start = ContinuousClock.now
    let startCPU = threadCPUSeconds()
    for line in lines { encoder.encode(line, appendingTo: &ids) }
    let seconds = (ContinuousClock.now - start) / .seconds(1)
    best = min(best, seconds)
    bestCPU = min(bestCPU, threadCPUSeconds() - startCPU)
    tokens = ids.count
    checksum = ids.reduce(0) { ($0 &* 31) &+ UInt64($1) }
    let stats = encoder.cacheStatistics
    hitRate = Double(stats.hits) / Double(max(1, stats.hits + stats.misses))
}
// The same text through encodeBatch on every core, for the side-by-side with HF's default parallel batch.
let threads = ProcessInfo.processInfo.activeProcessorCount
var bestParallel = Double.infinity
for _ in 0..<runs {
    let start = ContinuousClock.now
    let batch = tokenizer.encodeBatch(lines, threads: threads)
    bestParallel = min(bestParallel, (ContinuousClock.now - start) / .seconds(1))
    precondition(batch.reduce(0) { $0 + $1.count } == tokens, "parallel and serial encodings differ")
}
let figures: [String: Any] = [
    "impl": "pipe-swift", "threads": 1, "lines": lines.count, "bytes": bytes, "tokens": tokens,
    "checksum": String(checksum), "seconds": best, "mb_per_s": Double(bytes) / best / 1e6,
    "tokens_per_s": Double(tokens) / best,
    "cpu_seconds": bestCPU, "cpu_mb_per_s": Double(bytes) / bestCPU / 1e6, "load_seconds": loadSeconds, "cache_hit_rate": hitRate,
    "parallel_threads": threads, "parallel_seconds": bestParallel, "parallel_mb_per_s": Double(bytes) / bestParallel / 1e6,
    "parallel_tokens_per_s": Double(tokens) / bestParallel,
]
let json = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
