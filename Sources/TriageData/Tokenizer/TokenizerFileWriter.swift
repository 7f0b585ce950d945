import Foundation

/// Writes the tokenizer's files atomically without depending on StageKit: the bytes go to a temporary sibling in
/// the same directory, are fsynced, and the file is renamed into place, so a reader sees the old file or the
/// complete new one, never a part. Wraps `open(2)`, `write(2)`, `fsync(2)`, `rename(2)`.
enum TokenizerFileWriter {
    /// Writes `data` to `url`; throws a description of the failing call naming the path.
    static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent().path
        let temp = "\(directory)/.\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw WriteFailure(call: "open", path: temp, errno: errno) }
        var failure: WriteFailure?
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = WriteFailure(call: "write", path: temp, errno: errno)
                    return
                }
                offset += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = WriteFailure(call: "fsync", path: temp, errno: errno) }
        close(fd)
        if failure == nil, rename(temp, url.path) != 0 { failure = WriteFailure(call: "rename", path: url.path, errno: errno) }
        if let failure {
            unlink(temp)
            throw failure
        }
    }

    /// A failed system call while writing.
    struct WriteFailure: Error, CustomStringConvertible {
        var call: String
        var path: String
        var errno: Int32
        var description: String { "\(call) \(path): \(String(cString: strerror(errno)))" }
    }
}
