import Foundation
import Glibc

/// Puts one cached object at a new path using the first link strategy that works, and makes the result
/// read-only (0444, or 0555 for an executable file) unless asked for a writable copy.
///
/// Each strategy's failure (EXDEV, EOPNOTSUPP, EPERM …) is an expected fallback, not an error; only when every
/// strategy fails does the caller get an error, naming the last cause.
struct FileLinker {
    var order: [LinkStrategy]
    /// Leave the result writable (0644, 0755 executable) instead; only meaningful without `.hardlink`.
    var writable = false

    /// The `FICLONE` ioctl request number (`_IOW(0x94, 9, int)`).
    private static let ficlone: UInt = 0x4004_9409

    /// Links `object` to the not-yet-existing `destination`; returns the strategy that worked.
    func link(object: String, to destination: String, executable: Bool) throws(PipeError) -> LinkStrategy {
        var lastError: SystemCallError?
        for strategy in order {
            if strategy == .hardlink && executable { continue }     // the object's inode is 0444: no x bit
            do throws(SystemCallError) {
                switch strategy {
                case .reflink: try reflink(object, destination)
                case .hardlink: try hardlink(object, destination)
                case .copy: try copy(object, destination)
                }
                if strategy != .hardlink {
                    let mode: mode_t = writable ? (executable ? 0o755 : 0o644) : (executable ? 0o555 : 0o444)
                    guard chmod(destination, mode) == 0 else {
                        throw SystemCallError("chmod", errno: errno)
                    }
                }
                return strategy
            } catch {
                unlink(destination)
                lastError = error
            }
        }
        throw PipeError(.io, "cannot link cached object \(object) to \(destination) with any of "
                        + order.map(\.rawValue).joined(separator: ", "),
                        fix: "allow `copy` in the link strategy order, or check the destination is writable",
                        cause: lastError.map { String(describing: $0) })
    }

    private func reflink(_ source: String, _ destination: String) throws(SystemCallError) {
        let src = try SystemCall.open(source, O_RDONLY)
        defer { close(src) }
        let dst = try SystemCall.open(destination, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        defer { close(dst) }
        guard ioctl(dst, FileLinker.ficlone, src) == 0 else { throw SystemCallError("ioctl(FICLONE)", errno: errno) }
    }

    private func hardlink(_ source: String, _ destination: String) throws(SystemCallError) {
        guard Glibc.link(source, destination) == 0 else { throw SystemCallError("link", errno: errno) }
    }

    private func copy(_ source: String, _ destination: String) throws(SystemCallError) {
        let src = try SystemCall.open(source, O_RDONLY)
        defer { close(src) }
        let dst = try SystemCall.open(destination, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        defer { close(dst) }
        try FileLinker.copyContents(from: src, to: dst)
    }

    /// Copies everything from `src` (at its offset) to `dst`: `sendfile` in the kernel, read/write if refused.
    static func copyContents(from src: Int32, to dst: Int32) throws(SystemCallError) {
        while true {
            let n = sendfile(dst, src, nil, 1 << 30)
            if n > 0 { continue }
            if n == 0 { return }
            if errno == EINTR { continue }
            if errno == EINVAL || errno == ENOSYS { break }
            throw SystemCallError("sendfile", errno: errno)
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer { buffer.deallocate() }
        while true {
            let n = try SystemCall.read(src, into: buffer)
            if n == 0 { return }
            try SystemCall.writeAll(dst, UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }
}
