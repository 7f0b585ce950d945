import Glibc

/// The one way the project writes a file: bytes go to a hidden temp file in the destination's directory, which
/// `commit()` fsyncs and renames over the destination (then fsyncs the directory). Until then, or if the writer
/// is dropped or a write fails, nothing changes at the destination: a reader or a crash sees the old file or the
/// complete new one, never a part.
///
/// Writes are buffered in 1 MiB blocks, so a multi-GiB checkpoint streams through bounded memory. Not
/// thread-safe: one writer per file.
public final class AtomicFileWriter {
    /// Points where a test can make a write fail, to prove an interrupted write leaves the old file.
    public enum FailurePoint: Sendable, Equatable {
        /// After this many bytes reached the temp file (the rest never written).
        case afterWriting(bytes: Int)
        /// After the temp file is complete and synced, just before the rename.
        case beforeRename
    }

    /// The error thrown at an injected failure point (tests only).
    public struct InjectedFailure: Error, Sendable, Equatable {
        /// Where the write was stopped.
        public var point: FailurePoint

        public init(point: FailurePoint) { self.point = point }
    }

    /// The final path.
    public let destination: String
    /// The hidden sibling the bytes go to until `commit()`.
    public let temporaryPath: String
    private let permissions: mode_t
    private let failure: FailurePoint?
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var accepted = 0
    private var finished = false
    private static let bufferLimit = 1 << 20

    /// Creates the temp file next to `destination` (and any missing parent directories). `permissions` is the
    /// mode of the new file whatever the umask; `failingAt` is for tests only.
    public init(destination: String, permissions: mode_t = 0o644, failingAt failure: FailurePoint? = nil) throws {
        self.destination = destination
        self.permissions = permissions
        self.failure = failure
        let slash = destination.lastIndex(of: "/")
        let directory = slash.map { String(destination[..<$0]) } ?? "."
        if !directory.isEmpty {
            do { try SystemCall.makeDirectories(directory) } catch {
                throw AtomicWriteError(.createDirectory, destination: destination, cause: error)
            }
        }
        temporaryPath = SystemCall.temporarySibling(of: destination)
        do { descriptor = try SystemCall.open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL, permissions) } catch {
            throw AtomicWriteError(.createTemporary, destination: destination, cause: error)
        }
    }

    deinit { abort() }

    /// Appends bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        precondition(!finished, "AtomicFileWriter written after commit or abort")
        if case let .afterWriting(limit)? = failure, accepted + bytes.count > limit {
            let prefix = UnsafeRawBufferPointer(rebasing: bytes.prefix(max(0, limit - accepted)))
            buffer.append(contentsOf: prefix)
            try flush()
            throw InjectedFailure(point: .afterWriting(bytes: limit))
        }
        accepted += bytes.count
        if buffer.count + bytes.count > Self.bufferLimit { try flush() }
        if bytes.count >= Self.bufferLimit {
            try writeThrough(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Appends a byte sequence (an array, `Data`, a string's UTF-8).
    public func write<Bytes: Sequence<UInt8>>(_ bytes: Bytes) throws {
        if let done = try bytes.withContiguousStorageIfAvailable({ try write(UnsafeRawBufferPointer($0)) }) {
            return done
        }
        try Array(bytes).withUnsafeBytes { try write($0) }
    }

    /// Appends everything readable from `source` (from its offset on), in the kernel where it can (`sendfile`).
    public func write(contentsOf source: Int32, path sourcePath: String? = nil) throws {
        precondition(!finished, "AtomicFileWriter written after commit or abort")
        try flush()
        do { try SystemCall.copyContents(from: source, to: descriptor, path: sourcePath) } catch {
            throw AtomicWriteError(.write, destination: destination, cause: error)
        }
    }

    /// Appends a string's UTF-8.
    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Flushes, fsyncs and renames the temp file over the destination, then fsyncs the directory.
    public func commit() throws {
        precondition(!finished, "AtomicFileWriter committed twice")
        try flush()
        do {
            try SystemCall.changeMode(descriptor, permissions, path: temporaryPath)   // umask may have narrowed it
            try SystemCall.sync(descriptor, path: temporaryPath)
        } catch {
            throw AtomicWriteError(.write, destination: destination, cause: error)
        }
        if failure == .beforeRename { throw InjectedFailure(point: .beforeRename) }
        SystemCall.close(descriptor)
        descriptor = -1
        do { try SystemCall.rename(temporaryPath, destination) } catch {
            throw AtomicWriteError(.rename, destination: destination, cause: error)
        }
        finished = true
        let slash = destination.lastIndex(of: "/")
        SystemCall.syncDirectory(slash.map { String(destination[..<$0]) }.flatMap { $0.isEmpty ? "/" : $0 } ?? ".")
    }

    /// Drops the temp file without touching the destination (also what happens when an uncommitted writer goes).
    public func abort() {
        guard !finished else { return }
        finished = true
        if descriptor >= 0 { SystemCall.close(descriptor) }
        descriptor = -1
        SystemCall.removeFileIfPresent(temporaryPath)
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeThrough($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeThrough(_ bytes: UnsafeRawBufferPointer) throws {
        do { try SystemCall.writeAll(descriptor, bytes, path: temporaryPath) } catch {
            throw AtomicWriteError(.write, destination: destination, cause: error)
        }
    }

    /// Replaces `path` with `bytes` atomically in one call.
    public static func write<Bytes: Sequence<UInt8>>(_ bytes: Bytes, to path: String, permissions: mode_t = 0o644,
                                                     failingAt failure: FailurePoint? = nil) throws {
        let writer = try AtomicFileWriter(destination: path, permissions: permissions, failingAt: failure)
        try writer.write(bytes)
        try writer.commit()
    }

    /// Replaces `path` with a copy of the file at `source` atomically in one call.
    public static func copy(from source: String, to path: String, permissions: mode_t = 0o644) throws {
        let input = try SystemCall.open(source, O_RDONLY | O_CLOEXEC)
        defer { SystemCall.close(input) }
        let writer = try AtomicFileWriter(destination: path, permissions: permissions)
        try writer.write(contentsOf: input, path: source)
        try writer.commit()
    }

    /// Replaces `path` with `text`'s UTF-8 atomically in one call.
    public static func write(_ text: String, to path: String, permissions: mode_t = 0o644) throws {
        try write(Array(text.utf8), to: path, permissions: permissions)
    }
}

/// A failed atomic write: which step, for which destination, and the system call that failed (naming its path).
public struct AtomicWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The step of the write that failed; each has its own likely fix.
    public enum Step: String, Sendable, Equatable {
        case createDirectory = "cannot create the directory for"
        case createTemporary = "cannot create a temporary file next to"
        case write = "cannot write"
        case rename = "cannot move the new file into place"
    }

    public var step: Step
    /// The file that was to be written (unchanged by the failure).
    public var destination: String
    /// The failed call.
    public var cause: SystemCallError

    public init(_ step: Step, destination: String, cause: SystemCallError) {
        self.step = step
        self.destination = destination
        self.cause = cause
    }

    /// What to check for this step.
    public var fix: String {
        switch step {
        case .createDirectory, .createTemporary: return "check the directory is writable and the disk is not full"
        case .write: return "check the disk is not full"
        case .rename: return "check nothing else (a directory?) is in the way"
        }
    }

    /// `<step> <destination>: <cause>`.
    public var description: String { "\(step.rawValue) \(destination): \(cause)" }
}
