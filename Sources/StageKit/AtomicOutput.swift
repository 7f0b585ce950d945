import Foundation

/// Atomic output writing: a file is written to a temp sibling, fsynced and renamed into place; a directory is
/// built in a temp sibling and renamed into place. Readers never see a half-written output, and a failed stage
/// leaves the previous output (or nothing) behind.
public enum AtomicOutput {
    /// Writes `data` to `url` atomically, creating parent directories.
    public static func write(_ data: Data, to url: URL) throws {
        let file = try AtomicFile(url)
        try file.append(data)
        try file.commit()
    }

    /// Writes `text` as UTF-8 to `url` atomically.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Builds a directory with `build` (given a temp directory) and moves it to `url`, replacing what was there.
    ///
    /// If `build` throws, the temp directory is removed and `url` is left untouched.
    public static func writeDirectory(at url: URL, _ build: (URL) throws -> Void) throws {
        let fm = FileManager.default
        let parent = url.deletingLastPathComponent()
        try createDirectory(parent)
        let temp = parent.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try? fm.removeItem(at: temp)
        try createDirectory(temp)
        do {
            try build(temp)
        } catch {
            try? fm.removeItem(at: temp)
            throw error
        }
        let old = parent.appendingPathComponent(".\(url.lastPathComponent).old-\(getpid())")
        var movedOld = false
        if fm.fileExists(atPath: url.path) {
            try? fm.removeItem(at: old)
            guard rename(url.path, old.path) == 0 else {
                try? fm.removeItem(at: temp)
                throw StageError(.io, "cannot move the previous \(url.path) aside: \(String(cString: strerror(errno)))")
            }
            movedOld = true
        }
        guard rename(temp.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            if movedOld { _ = rename(old.path, url.path) }
            try? fm.removeItem(at: temp)
            throw StageError(.io, "cannot move the new output into \(url.path): \(reason)")
        }
        if movedOld { try? fm.removeItem(at: old) }
    }

    /// Creates `url` and its parents, as a typed error naming the path.
    public static func createDirectory(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw StageError(.io, "cannot create directory \(url.path): \(error.localizedDescription)",
                             fix: "check permissions and free space")
        }
    }
}

/// A file being written: appends go to a temp sibling, `commit()` fsyncs and renames it into place, and a file
/// never committed is removed when the writer goes away.
public final class AtomicFile {
    /// Where the file will appear on commit.
    public let destination: URL
    private let temp: URL
    private let handle: FileHandle
    private var buffer = Data()
    private var finished = false

    /// Opens a temp sibling of `destination` for writing, creating parent directories.
    public init(_ destination: URL) throws {
        self.destination = destination
        let parent = destination.deletingLastPathComponent()
        try AtomicOutput.createDirectory(parent)
        temp = parent.appendingPathComponent(".\(destination.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        guard FileManager.default.createFile(atPath: temp.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: temp.path) else {
            throw StageError(.io, "cannot create \(temp.path)", fix: "check permissions and free space")
        }
        self.handle = handle
    }

    deinit {
        if !finished {
            try? handle.close()
            try? FileManager.default.removeItem(at: temp)
        }
    }

    /// Appends bytes (buffered; flushed in 1 MiB blocks).
    public func append(_ data: Data) throws {
        buffer.append(data)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Appends a string's UTF-8.
    public func append(_ text: String) throws { try append(Data(text.utf8)) }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do { try handle.write(contentsOf: buffer) } catch {
            throw StageError(.io, "cannot write \(destination.path): \(error.localizedDescription)",
                             fix: "check free space")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, fsyncs and renames the temp file to the destination.
    public func commit() throws {
        precondition(!finished, "AtomicFile committed twice")
        try flush()
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw StageError(.io, "cannot flush \(destination.path): \(error.localizedDescription)")
        }
        finished = true
        guard rename(temp.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temp)
            throw StageError(.io, "cannot rename into \(destination.path): \(reason)")
        }
    }

    /// Drops the temp file without touching the destination.
    public func abort() {
        guard !finished else { return }
        finished = true
        try? handle.close()
        try? FileManager.default.removeItem(at: temp)
    }
}
