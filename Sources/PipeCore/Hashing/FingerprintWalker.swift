import Dispatch
import Glibc
import Synchronization
import PipeBasics

/// The cheap walk behind `pipe status` on an unchanged directory: stats every file (`openat`/`fdopendir`/
/// `readdir`, `fstatat` relative to the directory's descriptor) and folds it into a `PathFingerprint`, with no
/// per-file `String`, sort, index lookup or manifest. Top-level subdirectories are walked on `threads` threads;
/// the fingerprint is a sum, so the merge is deterministic whatever the interleaving.
///
/// It applies `.pipeignore` like `DirectoryWalker`, but it never decides anything hard: on whatever the full
/// walk must judge or report (a link to a directory, a broken link, a socket/FIFO/device, an entry vanishing,
/// an unreadable directory, more than `maximumDepth` levels) it returns nil and the caller falls back to the
/// full walk. Because a fingerprint only matches the one the full walk recorded when both saw the same files
/// with the same metadata, a difference between the two walks can cost a fallback, never a wrong hash.
struct FingerprintWalker: Sendable {
    /// Repo-relative path of the walked directory (for `.pipeignore` matching).
    var repoPath: String
    var absolutePath: String
    var ignore: PipeIgnore
    var threads: Int

    /// Deeper than this is treated as a loop (bind mounts) and left to the full walk.
    static let maximumDepth = 256

    private struct Bail: Error {}

    /// The fingerprint of every non-ignored regular file under the directory, or nil when the full walk must decide.
    func fingerprint() -> PathFingerprint? {
        guard let fd = try? SystemCall.openDirectory(absolutePath), let top = try? Listing(fd: fd) else { return nil }
        defer { top.close() }
        var total = PathFingerprint()
        var path: [UInt8] = []
        path.reserveCapacity(512)
        var subdirectories: [(name: [UInt8], rules: PipeIgnore)] = []
        do {
            try walk(top, path: &path, absolute: absolutePath, rules: ignore, depth: 0, into: &total,
                     deferring: threads > 1, subdirectories: &subdirectories)
        } catch { return nil }
        if subdirectories.isEmpty { return total }
        let next = Atomic<Int>(0)
        let merged = Mutex<(fingerprint: PathFingerprint, failed: Bool)>((total, false))
        let topFd = top.fd
        let work = subdirectories
        DispatchQueue.concurrentPerform(iterations: min(threads, subdirectories.count)) { _ in
            var local = PathFingerprint()
            var path: [UInt8] = []
            path.reserveCapacity(512)
            var failed = false
            while !failed {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < work.count else { break }
                let (name, rules) = work[i]
                path.removeAll(keepingCapacity: true)
                path.append(contentsOf: name)
                do {
                    let terminated = name + [0]
                    let child = try terminated.withUnsafeBytes { raw in
                        try Listing(openingChild: UnsafeRawBufferPointer(rebasing: raw.dropLast()), of: topFd)
                    }
                    defer { child.close() }
                    let absolute = absolutePath + "/" + String(decoding: name, as: UTF8.self)
                    var none: [(name: [UInt8], rules: PipeIgnore)] = []
                    try walk(child, path: &path, absolute: absolute, rules: rules, depth: 1, into: &local,
                             deferring: false, subdirectories: &none)
                } catch { failed = true }
            }
            if failed { next.store(work.count, ordering: .relaxed) }
            merged.withLock { m in
                m.fingerprint.merge(local)
                m.failed = m.failed || failed
            }
        }
        let (fingerprint, failed) = merged.withLock { ($0.fingerprint, $0.failed) }
        return failed ? nil : fingerprint
    }

    /// Folds the files of one listed directory (whose path relative to the walked directory is `path`) into
    /// `fingerprint`, descending into subdirectories, or (`deferring`) listing them for the worker threads.
    private func walk(_ listing: Listing, path: inout [UInt8], absolute: String, rules inherited: PipeIgnore,
                      depth: Int, into fingerprint: inout PathFingerprint, deferring: Bool,
                      subdirectories: inout [(name: [UInt8], rules: PipeIgnore)]) throws(Bail) {
        guard depth < FingerprintWalker.maximumDepth else { throw Bail() }
        var rules = inherited
        if listing.containsPipeIgnore {
            guard let file = try? PipeIgnore.loadFile(at: absolute + "/" + PipeIgnore.fileName, base: repoDirectory(path))
            else { throw Bail() }
            rules = rules.adding(file)
        }
        let prefixLength = path.count
        for entry in listing.entries {
            let name = listing.name(of: entry)
            if Listing.isAlwaysIgnored(name) { continue }
            path.removeSubrange(prefixLength...)
            if prefixLength > 0 { path.append(UInt8(ascii: "/")) }
            path.append(contentsOf: name)
            var type = entry.type
            var status: FileStatus?
            if type == UInt8(DT_UNKNOWN) || type == UInt8(DT_LNK) {
                status = try stat(name, in: listing.fd, follow: type == UInt8(DT_LNK))
                if status!.isDirectory {
                    if type == UInt8(DT_LNK) { throw Bail() }        // a link to a directory: the full walk checks loops
                    type = UInt8(DT_DIR)
                } else if status!.isRegularFile {
                    type = UInt8(DT_REG)
                } else {
                    type = UInt8(DT_UNKNOWN)                          // socket, FIFO, device
                }
            }
            switch type {
            case UInt8(DT_DIR):
                if isIgnored(rules, path: path, name: name, isDirectory: true) { continue }
                if deferring {
                    subdirectories.append((Array(name), rules))
                    continue
                }
                let child: Listing
                do { child = try Listing(openingChild: name, of: listing.fd) } catch { throw Bail() }
                defer { child.close() }
                let childAbsolute = absolute + "/" + String(decoding: name, as: UTF8.self)
                try walk(child, path: &path, absolute: childAbsolute, rules: rules, depth: depth + 1,
                         into: &fingerprint, deferring: false, subdirectories: &subdirectories)
            case UInt8(DT_REG):
                if isIgnored(rules, path: path, name: name, isDirectory: false) { continue }
                let st: FileStatus
                if let status { st = status } else { st = try stat(name, in: listing.fd, follow: false) }
                guard st.isRegularFile else { throw Bail() }          // replaced since it was listed
                path.withUnsafeBytes { fingerprint.add(path: $0, status: st) }
            default:
                if isIgnored(rules, path: path, name: name, isDirectory: false) { continue }
                throw Bail()                                          // the full walk reports it
            }
        }
        path.removeSubrange(prefixLength...)
    }

    private func stat(_ name: UnsafeRawBufferPointer, in directory: Int32, follow: Bool) throws(Bail) -> FileStatus {
        let status = name.withMemoryRebound(to: CChar.self) {
            try? SystemCall.status(named: $0.baseAddress!, relativeTo: directory, followSymlinks: follow)
        }
        guard let status else { throw Bail() }
        return status
    }

    /// Strings are only built when some `.pipeignore` is in force.
    private func isIgnored(_ rules: PipeIgnore, path: [UInt8], name: UnsafeRawBufferPointer, isDirectory: Bool) -> Bool {
        if rules.files.isEmpty { return false }
        return rules.isIgnored(repoDirectory(path), name: String(decoding: name, as: UTF8.self), isDirectory: isDirectory)
    }

    private func repoDirectory(_ path: [UInt8]) -> String {
        let relative = String(decoding: path, as: UTF8.self)
        if repoPath.isEmpty || repoPath == "." { return relative }
        return relative.isEmpty ? repoPath : repoPath + "/" + relative
    }
}

/// The entries of one open directory: names back to back in one buffer (each NUL-terminated), read once with
/// `readdir` before any of them is visited.
private final class Listing {
    struct Entry {
        var offset: Int
        var length: Int
        var type: UInt8
    }

    private let directory: DirectoryStream
    let fd: Int32
    /// Every name, NUL-terminated, back to back; owned, freed in `deinit`.
    private let storage: UnsafeMutableRawBufferPointer
    private(set) var entries: [Entry] = []
    private(set) var containsPipeIgnore = false

    private struct Unreadable: Error {}

    /// Takes ownership of `fd` (closed by `close()`, or right away if listing fails).
    init(fd: Int32) throws {
        do { directory = try DirectoryStream(takingOwnershipOf: fd) } catch { throw Unreadable() }
        self.fd = fd
        var names: [UInt8] = []
        names.reserveCapacity(16 * 1024)
        var entries: [Entry] = []
        entries.reserveCapacity(1024)
        var containsPipeIgnore = false
        do {
            try directory.forEachEntry { name, type in
                let offset = names.count
                names.append(contentsOf: name)
                names.append(0)
                if name.count == 11 && name.elementsEqual(Listing.pipeIgnoreName) { containsPipeIgnore = true }
                entries.append(Entry(offset: offset, length: name.count, type: type))
            }
        } catch {
            directory.close()
            throw Unreadable()
        }
        self.entries = entries
        self.containsPipeIgnore = containsPipeIgnore
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, names.count), alignment: 1)
        names.withUnsafeBytes { storage.copyMemory(from: $0) }
    }

    deinit { storage.deallocate() }

    /// Opens the subdirectory `name` (NUL-terminated in memory) of the directory open at `parent`, not
    /// following links.
    convenience init(openingChild name: UnsafeRawBufferPointer, of parent: Int32) throws {
        let fd = name.withMemoryRebound(to: CChar.self) {
            try? SystemCall.openDirectory(named: $0.baseAddress!, relativeTo: parent)
        }
        guard let fd else { throw Unreadable() }
        try self.init(fd: fd)
    }

    /// The name's bytes, without the NUL (which follows in memory, so the pointer is a C string). Valid while
    /// the listing lives.
    func name(of entry: Entry) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: storage[entry.offset..<(entry.offset + entry.length)])
    }

    func close() { directory.close() }

    static let pipeIgnoreName = Array(PipeIgnore.fileName.utf8)

    /// `.git` and `.cache`, ignored at any depth (`PipeIgnore.alwaysIgnored`).
    static func isAlwaysIgnored(_ name: UnsafeRawBufferPointer) -> Bool {
        (name.count == 4 && name.elementsEqual(".git".utf8)) || (name.count == 6 && name.elementsEqual(".cache".utf8))
    }
}
