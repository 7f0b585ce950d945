import Dispatch
import Foundation
import Synchronization

/// Hashes workspace paths for status, repro and the cache: files by content, directories by their sorted
/// manifest, skipping `.pipeignore`d paths, with a state index so unchanged files are never read twice.
///
/// Thread-safe: the index and counters sit behind a lock, file reading happens outside it, and cold files of a
/// directory are hashed on `threads` threads at once. Call `save()` to persist the index (atomically).
public final class FileHasher: Sendable {
    /// Where `.cache/state.index` lives by default, relative to the cache root.
    public static let indexFileName = "state.index"

    /// The repository root every repo-relative path is resolved against.
    public let repoRoot: URL
    /// The index file (`<cacheRoot>/state.index`).
    public let indexURL: URL
    /// Threads used to read cold files of a directory.
    public let threads: Int
    /// What loading the index found (missing, loaded, discarded as corrupt/stale).
    public let indexLoadOutcome: StateIndex.LoadOutcome

    private struct State {
        var index: StateIndex
        var counters = HashingCounters()
        /// Index keys looked up or recorded by this process; `save` checks only the others for deletion.
        var touched = Set<String>()
    }
    private let state: Mutex<State>

    /// Opens the hashing service for the repository at `repoRoot`, loading the state index from `cacheRoot`
    /// (default `<repoRoot>/.cache`). A missing or damaged index starts empty (see `indexLoadOutcome`).
    public init(repoRoot: URL, cacheRoot: URL? = nil, threads: Int = 2,
                racyWindowNanoseconds: Int64 = StateIndex.defaultRacyWindowNanoseconds) {
        self.repoRoot = repoRoot.standardizedFileURL
        let cache = cacheRoot ?? self.repoRoot.appendingPathComponent(".cache")
        indexURL = cache.appendingPathComponent(FileHasher.indexFileName)
        self.threads = max(1, threads)
        let (index, outcome) = StateIndex.load(from: indexURL, racyWindowNanoseconds: racyWindowNanoseconds)
        indexLoadOutcome = outcome
        state = Mutex(State(index: index))
    }

    /// Work done so far.
    public var counters: HashingCounters { state.withLock { $0.counters } }

    /// Zeroes the counters.
    public func resetCounters() { state.withLock { $0.counters = HashingCounters() } }

    /// Number of files the index remembers.
    public var indexedFileCount: Int { state.withLock { $0.index.count } }

    /// Writes the state index atomically if it changed since it was loaded or last saved, first dropping
    /// entries of files that no longer exist (only entries this process did not already see are checked).
    public func save() throws {
        try state.withLock { s in
            if s.touched.count < s.index.count {
                for key in s.index.entries.keys where !s.touched.contains(key) {
                    let absolute = repoRoot.path + "/" + key
                    if (try? SystemCall.status(absolute)) == .some(nil) { s.index.forget(key) }
                }
            }
            guard s.index.isDirty else { return }
            try s.index.save(to: indexURL)
        }
    }

    /// The hash of the repo-relative `repoPath` (a file or a directory; `.` is the root), or nil when nothing is
    /// there. Symbolic links are followed.
    public func hashEntry(repoPath: String) throws(PipeError) -> HashedEntry? {
        let path = try FileHasher.normalized(repoPath)
        let absolute = path == "." ? repoRoot.path : repoRoot.path + "/" + path
        let status: FileStatus?
        do { status = try SystemCall.status(absolute) } catch {
            throw PipeError.io("cannot stat", path: absolute, underlying: error)
        }
        guard let status else {
            state.withLock { $0.index.forget(path) }
            return nil
        }
        if status.isRegularFile {
            let (hash, size) = try hashFiles([(path, status)])[0]
            return .file(hash: hash, size: size)
        }
        guard status.isDirectory else {
            throw PipeError(.io, "not a regular file or directory: \(absolute)",
                            fix: "dependencies and outputs must be files or directories")
        }
        let ignore = try PipeIgnore.rules(above: path, repoRoot: repoRoot)
        let walked = try DirectoryWalker(repoPath: path, absolutePath: absolute, ignore: ignore).walk()
        let keyPrefix = path == "." ? "" : path + "/"
        let results = try hashFiles(walked.map { (keyPrefix + $0.relativePath, $0.status) })
        var entries: [DirectoryManifest.Entry] = []
        entries.reserveCapacity(walked.count)
        for (file, result) in zip(walked, results) {
            entries.append(.init(path: file.relativePath, hash: result.hash, size: result.size,
                                 isExecutable: file.status.isExecutable))
        }
        state.withLock { $0.counters.directoriesWalked += 1 }
        return .directory(DirectoryManifest(entries: entries))
    }

    /// Checks `repoPath` is relative and stays inside the repository; returns it without `./` or trailing `/`.
    static func normalized(_ repoPath: String) throws(PipeError) -> String {
        var parts: [Substring] = []
        for part in repoPath.split(separator: "/") where part != "." { parts.append(part) }
        if repoPath.hasPrefix("/") || parts.contains("..") {
            throw PipeError(.pathEscapesRepo, "path \(repoPath.debugDescription) is not inside the repository",
                            fix: "use a path relative to the repository root, without `..`")
        }
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// Hashes files given as (repo-relative path = index key, stat), taking what it can from the index and
    /// reading the rest on up to `threads` threads. Results are in input order.
    private func hashFiles(_ files: [(key: String, status: FileStatus)]) throws(PipeError)
        -> [(hash: ContentHash, size: Int64)] {
        var results = [(hash: ContentHash, size: Int64)?](repeating: nil, count: files.count)
        var cold: [Int] = []
        state.withLock { s in
            for (i, f) in files.enumerated() {
                s.touched.insert(f.key)
                switch s.index.lookup(f.key, status: f.status) {
                case let .hit(hash):
                    results[i] = (hash, f.status.size)
                    s.counters.indexHits += 1
                case .racy:
                    s.counters.racyEntries += 1
                    cold.append(i)
                case .miss:
                    cold.append(i)
                }
            }
        }
        if !cold.isEmpty {
            for (i, value) in try readFiles(cold.map { files[$0] }).enumerated() { results[cold[i]] = value }
        }
        return results.map { $0! }
    }

    /// Reads and hashes files, recording each in the index; parallel when there is more than one.
    private func readFiles(_ files: [(key: String, status: FileStatus)]) throws(PipeError)
        -> [(hash: ContentHash, size: Int64)] {
        let workers = min(threads, files.count)
        let next = Atomic<Int>(0)
        let outcome = Mutex<(values: [Int: (hash: ContentHash, size: Int64)], error: PipeError?)>(([:], nil))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let reader = FileContentHasher()
            var local: [Int: (hash: ContentHash, size: Int64)] = [:]
            var failure: PipeError?
            while failure == nil {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < files.count else { break }
                do throws(PipeError) { local[i] = try readOne(files[i], with: reader) } catch { failure = error }
            }
            outcome.withLock { o in
                o.values.merge(local) { a, _ in a }
                if o.error == nil, let failure { o.error = failure }
            }
            if failure != nil { next.store(files.count, ordering: .relaxed) }
        }
        let (values, error) = outcome.withLock { ($0.values, $0.error) }
        if let error { throw error }
        return files.indices.map { values[$0]! }
    }

    /// Reads one file; records it in the index only when its metadata did not change while it was read.
    private func readOne(_ file: (key: String, status: FileStatus), with reader: FileContentHasher)
        throws(PipeError) -> (hash: ContentHash, size: Int64) {
        let path = file.key == "." ? repoRoot.path : repoRoot.path + "/" + file.key
        let startedAt = SystemCall.nowNanoseconds()
        let (hash, size, before) = try reader.hashFile(atPath: path)
        let after: FileStatus?
        do { after = try SystemCall.status(path) } catch {
            throw PipeError.io("cannot stat", path: path, underlying: error)
        }
        state.withLock { s in
            s.counters.filesHashed += 1
            s.counters.bytesHashed += size
            if let after, after.inode == before.inode, after.size == size,
               after.mtimeNanoseconds == before.mtimeNanoseconds {
                s.index.record(file.key, status: after, hash: hash, hashedAt: startedAt)
            }
        }
        return (hash, size)
    }
}

extension FileHasher {
    /// The stat-only walk behind directory hashing, exposed for benchmarks: every non-ignored regular file
    /// under `absolutePath` with its size.
    public static func statWalk(absolutePath: String, ignore: PipeIgnore) throws(PipeError) -> [(path: String, size: Int64)] {
        try DirectoryWalker(repoPath: "", absolutePath: absolutePath, ignore: ignore).walk()
            .map { ($0.relativePath, $0.status.size) }
    }
}
