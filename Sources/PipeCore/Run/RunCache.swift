import Foundation

/// The run cache: (cmd, dep hashes, param values, declared outs) → the lock entry a run produced, under
/// `.cache/runs/ab/cdef…`, so returning to a configuration seen before restores its outputs instead of rerunning.
///
/// Entries are written atomically after a successful run and used only when every output object verifies.
public struct RunCache: Sendable {
    public let root: URL

    public init(cacheRoot: URL) { root = cacheRoot.appendingPathComponent("runs") }

    /// The key of a run: XXH3-128 over a canonical, length-tagged rendering of everything that determines it.
    public static func key(cmd: String, deps: [LockedPath], params: [String: [LockedParam]], outs: [String]) -> ContentHash {
        var text = "pipe-run 1\n"
        func field(_ tag: String, _ value: String) { text += "\(tag) \(value.utf8.count) \(value)\n" }
        field("cmd", cmd)
        for d in deps.sorted(by: { $0.path < $1.path }) { field("dep", d.path); field("hash", d.hash.hex) }
        for file in params.keys.sorted() {
            for p in params[file]!.sorted(by: { $0.key < $1.key }) {
                field("param", file + ":" + p.key)
                field("value", p.value.jsonText)
            }
        }
        for o in outs.sorted() { field("out", o) }
        return XXH3Hasher.hash(Array(text.utf8))
    }

    private func url(_ key: ContentHash) -> URL {
        let hex = key.hex
        return root.appendingPathComponent(String(hex.prefix(2))).appendingPathComponent(String(hex.dropFirst(2)))
    }

    /// The entry recorded for `key`, if any (a damaged entry reads as absent).
    public func lookup(_ key: ContentHash) -> LockedStage? {
        guard let data = FileManager.default.contents(atPath: url(key).path),
              let lock = try? LockFile.parse(String(decoding: data, as: UTF8.self), file: "run cache") else { return nil }
        return lock.stages["run"]
    }

    /// Records the entry a successful run produced.
    public func record(_ entry: LockedStage, for key: ContentHash) throws {
        let text = LockFile(stages: ["run": entry]).yamlText()
        try AtomicFile.write(Data(text.utf8), to: url(key))
    }
}
