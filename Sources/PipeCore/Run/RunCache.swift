import Foundation
import PipeBasics

/// The run cache: (cmd, dep hashes, param values, declared outs) → the lock entry a run produced, under
/// `.cache/runs/ab/cdef…`, so returning to a configuration seen before restores its outputs instead of rerunning.
///
/// Entries are written atomically after a successful run and used only when every output object verifies.
public struct RunCache: Sendable {
    /// `.cache/runs`.
    public let root: URL

    /// The run cache of the store rooted at `cacheRoot` (usually `<repo>/.cache`).
    public init(cacheRoot: URL) { root = cacheRoot.appendingPathComponent("runs") }

    /// One recorded run, as garbage collection lists them.
    public struct Entry: Sendable {
        /// The run key (the entry's file name).
        public var key: ContentHash
        /// The lock entry the run produced; nil when the file is damaged (unreadable or not a lock entry).
        public var stage: LockedStage?
    }

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

    func url(_ key: ContentHash) -> URL {
        let hex = key.hex
        return root.appendingPathComponent(String(hex.prefix(2))).appendingPathComponent(String(hex.dropFirst(2)))
    }

    /// The entry recorded for `key`, if any (a damaged entry reads as absent).
    public func lookup(_ key: ContentHash) -> LockedStage? {
        guard let data = FileManager.default.contents(atPath: url(key).path) else { return nil }
        return Self.parse(data)
    }

    /// Records the entry a successful run produced.
    public func record(_ entry: LockedStage, for key: ContentHash) throws {
        let text = LockFile(stages: ["run": entry]).yamlText()
        try AtomicFile.write(Data(text.utf8), to: url(key))
    }

    /// Every entry, sorted by key; files whose names are not run keys (temporaries of an interrupted write) are
    /// skipped. Linear in the number of entries.
    ///
    /// - Throws: `.io` when a directory of the run cache cannot be listed.
    public func allEntries() throws -> [Entry] {
        guard FileManager.default.fileExists(atPath: root.path) else { return [] }
        var entries: [Entry] = []
        for prefix in try Self.list(root.path) where prefix.utf8.count == 2 {
            for name in try Self.list(root.path + "/" + prefix) {
                guard let key = ContentHash(hex: prefix + name), key.hex == prefix + name else { continue }
                let data = FileManager.default.contents(atPath: url(key).path)
                entries.append(Entry(key: key, stage: data.flatMap(Self.parse)))
            }
        }
        return entries.sorted { $0.key.hex < $1.key.hex }
    }

    /// Deletes the entry for `key` (missing is not an error) and its fan-out directory when that is left empty.
    ///
    /// - Throws: `.io` naming the entry when it cannot be unlinked.
    public func remove(_ key: ContentHash) throws {
        let path = url(key).path
        do { try SystemCall.removeFile(path) } catch {
            throw PipeError.io("cannot remove run-cache entry", path: path, underlying: error,
                               fix: "check .cache/runs is writable")
        }
        SystemCall.removeEmptyDirectory(url(key).deletingLastPathComponent().path)   // stays while other entries remain
    }

    static func parse(_ data: Data) -> LockedStage? {
        (try? LockFile.parse(String(decoding: data, as: UTF8.self), file: "run cache"))?.stages["run"]
    }

    private static func list(_ path: String) throws -> [String] {
        do { return try SystemCall.listDirectory(path) } catch {
            throw PipeError.io("cannot list", path: path, underlying: error, fix: "check .cache/runs is readable")
        }
    }
}
