import Foundation
import PipeBasics

/// Atomic output writing for stages: a file goes through `PipeBasics.AtomicFileWriter` (temp sibling, fsync,
/// rename); a directory is built in a temp sibling and renamed into place. Readers never see a half-written
/// output, and a failed stage leaves the previous output (or nothing) behind. Failures are `StageError.io`
/// naming the output, so `StageMain` prints them with a fix and exit code 1.
public enum AtomicOutput {
    /// Writes `data` to `url` atomically, creating parent directories.
    public static func write(_ data: Data, to url: URL) throws {
        do { try AtomicFileWriter.write(data, to: url.path) } catch let error as AtomicWriteError {
            throw StageError(.io, error.description, fix: error.fix)
        }
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
        try createDirectory(url.deletingLastPathComponent())
        let temp = URL(fileURLWithPath: SystemCall.temporarySibling(of: url.path))
        try createDirectory(temp)
        do {
            try build(temp)
        } catch {
            try? fm.removeItem(at: temp)
            throw error
        }
        let old = SystemCall.temporarySibling(of: url.path, label: "old")
        var movedOld = false
        if fm.fileExists(atPath: url.path) {
            do { try SystemCall.rename(url.path, old) } catch {
                try? fm.removeItem(at: temp)
                throw StageError(.io, "cannot move the previous \(url.path) aside: \(error)")
            }
            movedOld = true
        }
        do { try SystemCall.rename(temp.path, url.path) } catch {
            if movedOld { try? SystemCall.rename(old, url.path) }
            try? fm.removeItem(at: temp)
            throw StageError(.io, "cannot move the new output into \(url.path): \(error)")
        }
        if movedOld { try? fm.removeItem(atPath: old) }
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
