import Dispatch
import Foundation
import Synchronization

/// Hashes workspace paths for status, repro and the cache: files by content, directories by their sorted
/// manifest, skipping `.pipeignore`d paths, with a state index so unchanged files are never read twice.
///
/// Thread-safe: the index and counters sit behind a lock, file reading happens outside it, and cold files of a
/// directory are hashed on `threads` threads at once. Call `save()` to persist the index (atomically).
///
/// Every whole path hashed is also remembered in the path summary index (`.cache/paths.index`) under the
/// fingerprint of the files it was computed from; `summary(repoPath:)` (what status needs: hash, size, file
/// count) answers from it after a stat-only walk when nothing changed. The large per-file state index is loaded
/// only when some file has to be looked up.
public final class FileHasher: Sendable {
    /// Where `.cache/state.index` lives by default, relative to the cache root.
    public static let indexFileName = "state.index"
    /// Where `.cache/paths.index` lives, relative to the cache root.
    public static let summaryIndexFileName = "paths.index"

    /// The repository root every repo-relative path is resolved against.
    public let repoRoot: URL
    /// `repoRoot` with its own links resolved: where every link inside a hashed directory must lead.
    private let confinementRoot: String
    /// The index file (`<cacheRoot>/state.index`).
    public let indexURL: URL
    /// Threads used to read cold files of a directory.
    public let threads: Int
    /// The path summary file (`<cacheRoot>/paths.index`).
    public let summaryIndexURL: URL
    /// What loading the path summary index found.
    public let summaryIndexLoadOutcome: StateIndex.LoadOutcome
    private let racyWindowNanoseconds: Int64

    private struct State {
        /// Loaded on first use (`loadedIndex`): an unchanged directory never needs it.
        var index: StateIndex?
        var indexLoadOutcome: StateIndex.LoadOutcome?
        var summaries: PathSummaryIndex
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
        confinementRoot = repoRoot.resolvingSymlinksInPath().path
        let cache = cacheRoot ?? self.repoRoot.appendingPathComponent(".cache")
        indexURL = cache.appendingPathComponent(FileHasher.indexFileName)
        summaryIndexURL = cache.appendingPathComponent(FileHasher.summaryIndexFileName)
        self.threads = max(1, threads)
        self.racyWindowNanoseconds = racyWindowNanoseconds
        let (summaries, outcome) = PathSummaryIndex.load(from: summaryIndexURL, racyWindowNanoseconds: racyWindowNanoseconds)
        summaryIndexLoadOutcome = outcome
        state = Mutex(State(summaries: summaries))
    }

    /// What loading the state index found (missing, loaded, discarded as corrupt/stale); loads it if needed.
    public var indexLoadOutcome: StateIndex.LoadOutcome {
        state.withLock { s in
            _ = loadedIndex(&s)
            return s.indexLoadOutcome!
        }
    }

    /// The state index, loaded from disk the first time it is needed.
    private func loadedIndex(_ s: inout State) -> StateIndex {
        if let index = s.index { return index }
        let (index, outcome) = StateIndex.load(from: indexURL, racyWindowNanoseconds: racyWindowNanoseconds)
        s.index = index
        s.indexLoadOutcome = outcome
        return index
    }

    /// Work done so far.
    public var counters: HashingCounters { state.withLock { $0.counters } }

    /// Zeroes the counters.
    public func resetCounters() { state.withLock { $0.counters = HashingCounters() } }

    /// Number of files the index remembers.
    public var indexedFileCount: Int { state.withLock { loadedIndex(&$0).count } }

    /// Writes the state index (if it was loaded) and the path summary index atomically if they changed since
    /// they were loaded or last saved, first dropping entries of paths that no longer exist (only entries this
    /// process did not already see are checked).
    ///
    /// The state index is pruned only when it is written anyway. Why: it can hold 100,000 entries, and checking
    /// the untouched ones costs as many `stat` calls on a run that changed nothing; an entry for a vanished file
    /// does no harm meanwhile, since an entry is trusted only when a file's inode, size and mtime all match it.
    public func save() throws {
        try state.withLock { s in
            for key in s.summaries.entries.keys where !s.touched.contains(key) {
                if (try? SystemCall.status(absolutePath(of: key))) == .some(nil) { s.summaries.forget(key) }
            }
            if s.summaries.isDirty { try s.summaries.save(to: summaryIndexURL) }
            guard var index = s.index, index.isDirty else { return }
            s.index = nil                                   // no copy-on-write of 100,000 entries while pruning
            defer { s.index = index }
            if s.touched.count < index.count {
                for key in index.entries.keys where !s.touched.contains(key) {
                    if (try? SystemCall.status(absolutePath(of: key))) == .some(nil) { index.forget(key) }
                }
            }
            try index.save(to: indexURL)
        }
    }

    /// The hash, size and file count of the repo-relative `repoPath` without a directory's manifest (what status
    /// and the lock file need), or nil when nothing is there. When the path summary index holds the fingerprint
    /// a stat-only walk finds, no file is looked up or read; otherwise this is `hashEntry(repoPath:)`.
    public func summary(repoPath: String) throws(PipeError) -> HashedEntry? {
        let path = try FileHasher.normalized(repoPath)
        let absolute = absolutePath(of: path)
        let found: FileStatus?
        do { found = try SystemCall.status(absolute) } catch { return try hashEntry(repoPath: path) }   // it reports
        guard let status = found else { return try hashEntry(repoPath: path) }
        let known = state.withLock { $0.summaries.entries[path]?.isDirectory }
        guard known == status.isDirectory else { return try hashEntry(repoPath: path) }   // no walk that cannot hit
        var fingerprint: PathFingerprint?
        if status.isRegularFile {
            fingerprint = .loneFile(status)
        } else if status.isDirectory {
            let ignore = try PipeIgnore.rules(above: path, repoRoot: repoRoot)
            fingerprint = FingerprintWalker(repoPath: path, absolutePath: absolute, ignore: ignore, threads: threads).fingerprint()
        }
        if let fingerprint {
            let hit = state.withLock { s in
                s.touched.insert(path)
                return s.summaries.lookup(path, fingerprint: fingerprint, isDirectory: status.isDirectory)
            }
            if let hit {
                state.withLock { $0.counters.summaryHits += 1 }
                return hit.hashedEntry
            }
        }
        return try hashEntry(repoPath: path)
    }

    /// The hash of the repo-relative `repoPath` (a file or a directory; `.` is the root), or nil when nothing is
    /// there. Symbolic links are followed.
    public func hashEntry(repoPath: String) throws(PipeError) -> HashedEntry? {
        let path = try FileHasher.normalized(repoPath)
        let absolute = absolutePath(of: path)
        let status: FileStatus?
        do { status = try SystemCall.status(absolute) } catch {
            throw PipeError.io("cannot stat", path: absolute, underlying: error)
        }
        guard let status else {
            state.withLock { s in
                s.summaries.forget(path)
                s.index?.forget(path)
            }
            return nil
        }
        let startedAt = SystemCall.nowNanoseconds()
        if status.isRegularFile {
            let (hash, size, stable) = try hashFiles([(path, status)])[0]
            remember(path, fingerprint: .loneFile(status), stable: stable, startedAt: startedAt, hash: hash, isDirectory: false)
            return .file(hash: hash, size: size)
        }
        guard status.isDirectory else {
            throw PipeError(.io, "not a regular file or directory: \(absolute)",
                            fix: "dependencies and outputs must be files or directories")
        }
        let ignore = try PipeIgnore.rules(above: path, repoRoot: repoRoot)
        let walked = try DirectoryWalker(repoPath: path, absolutePath: absolute, ignore: ignore,
                                         confinedTo: confinementRoot).walk()
        let keyPrefix = path == "." ? "" : path + "/"
        let results = try hashFiles(walked.map { (keyPrefix + $0.relativePath, $0.status) })
        var entries: [DirectoryManifest.Entry] = []
        entries.reserveCapacity(walked.count)
        var fingerprint = PathFingerprint()
        var stable = true
        for (file, result) in zip(walked, results) {
            entries.append(.init(path: file.relativePath, hash: result.hash, size: result.size,
                                 isExecutable: file.status.isExecutable))
            fingerprint.add(path: file.relativePath, status: file.status)
            stable = stable && result.stable
        }
        state.withLock { $0.counters.directoriesWalked += 1 }
        let entry = HashedEntry.directory(DirectoryManifest(entries: entries))
        remember(path, fingerprint: fingerprint, stable: stable, startedAt: startedAt, hash: entry.hash, isDirectory: true)
        return entry
    }

    /// Records a whole path's hash under the fingerprint of the files it came from, when every file read matched
    /// the status the walk saw (else, or when racy, whatever was recorded is forgotten).
    private func remember(_ path: String, fingerprint: PathFingerprint, stable: Bool, startedAt: Int64,
                          hash: ContentHash, isDirectory: Bool) {
        state.withLock { s in
            s.touched.insert(path)
            guard stable else { return s.summaries.forget(path) }
            s.summaries.record(path, .init(fingerprint: fingerprint, recordedAtNanoseconds: startedAt, hash: hash,
                                           isDirectory: isDirectory))
        }
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

    /// The absolute path of a normalized repo-relative path (`.` is the root).
    private func absolutePath(of repoPath: String) -> String {
        repoPath == "." ? repoRoot.path : repoRoot.path + "/" + repoPath
    }

    /// Hashes files given as (repo-relative path = index key, stat), taking what it can from the index and
    /// reading the rest on up to `threads` threads. Results are in input order; `stable` says the file read
    /// had the inode, size and mtime of the given status (always true for an index hit).
    private func hashFiles(_ files: [(key: String, status: FileStatus)]) throws(PipeError)
        -> [(hash: ContentHash, size: Int64, stable: Bool)] {
        var results = [(hash: ContentHash, size: Int64, stable: Bool)?](repeating: nil, count: files.count)
        var cold: [Int] = []
        state.withLock { s in
            let index = loadedIndex(&s)
            for (i, f) in files.enumerated() {
                s.touched.insert(f.key)
                switch index.lookup(f.key, status: f.status) {
                case let .hit(hash):
                    results[i] = (hash, f.status.size, true)
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
        -> [(hash: ContentHash, size: Int64, stable: Bool)] {
        let workers = min(threads, files.count)
        let next = Atomic<Int>(0)
        let outcome = Mutex<(values: [Int: (hash: ContentHash, size: Int64, stable: Bool)], error: PipeError?)>(([:], nil))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let reader = FileContentHasher()
            var local: [Int: (hash: ContentHash, size: Int64, stable: Bool)] = [:]
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
        throws(PipeError) -> (hash: ContentHash, size: Int64, stable: Bool) {
        let path = absolutePath(of: file.key)
        let startedAt = SystemCall.nowNanoseconds()
        let (hash, size, before) = try reader.hashFile(atPath: path)
        let after: FileStatus?
        do { after = try SystemCall.status(path) } catch {
            throw PipeError.io("cannot stat", path: path, underlying: error)
        }
        let unchanged = after.map { $0.inode == before.inode && $0.size == size && $0.mtimeNanoseconds == before.mtimeNanoseconds }
        state.withLock { s in
            s.counters.filesHashed += 1
            s.counters.bytesHashed += size
            if unchanged == true, let after {
                s.index?.record(file.key, status: after, hash: hash, hashedAt: startedAt)
            }
        }
        let asWalked = before.inode == file.status.inode && before.size == file.status.size &&
            before.mtimeNanoseconds == file.status.mtimeNanoseconds
        return (hash, size, unchanged == true && asWalked)
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

extension FileHasher {
    /// The fingerprint walk behind `summary(repoPath:)`, exposed for benchmarks: nil when it would defer to the
    /// full walk.
    public static func fingerprintWalk(absolutePath: String, ignore: PipeIgnore, threads: Int) -> PathFingerprint? {
        FingerprintWalker(repoPath: "", absolutePath: absolutePath, ignore: ignore, threads: threads).fingerprint()
    }
}
