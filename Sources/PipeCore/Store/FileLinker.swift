import Foundation
import Glibc
import PipeBasics

/// Puts one cached object at a new path using the first link strategy that works, and makes the result
/// read-only (0444, or 0555 for an executable file) unless asked for a writable copy.
///
/// Each strategy's failure (EXDEV, EOPNOTSUPP, EPERM …) is an expected fallback, not an error; only when every
/// strategy fails does the caller get an error, naming the last cause.
struct FileLinker {
    var order: [LinkStrategy]
    /// Leave the result writable (0644, 0755 executable) instead; only meaningful without `.hardlink`.
    var writable = false

    /// Links `object` to the not-yet-existing `destination`; returns the strategy that worked.
    ///
    /// A strategy that fails because the file system cannot do it at all (no reflinks on ext4, another device)
    /// is dropped from `order`, so a checkout of 10,000 files tries it once, not 10,000 times.
    mutating func link(object: String, to destination: String, executable: Bool) throws(PipeError) -> LinkStrategy {
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
                    try SystemCall.changeMode(destination, mode)
                }
                return strategy
            } catch {
                SystemCall.removeFileIfPresent(destination)
                lastError = error
                if order.count > 1 && Self.isUnsupported(strategy, errno: error.errno) { order.removeAll { $0 == strategy } }
            }
        }
        throw PipeError(.io, "cannot link cached object \(object) to \(destination) with any of "
                        + order.map(\.rawValue).joined(separator: ", "),
                        fix: "allow `copy` in the link strategy order, or check the destination is writable",
                        cause: lastError.map { String(describing: $0) })
    }

    /// Whether `errno` says `strategy` can never work between these two places (rather than for this one file).
    static func isUnsupported(_ strategy: LinkStrategy, errno: Int32) -> Bool {
        switch strategy {
        case .reflink: [EOPNOTSUPP, ENOTTY, EINVAL, EXDEV, ENOSYS].contains(errno)
        case .hardlink: [EXDEV, EPERM, EOPNOTSUPP].contains(errno)
        case .copy: false
        }
    }

    private func reflink(_ source: String, _ destination: String) throws(SystemCallError) {
        let src = try SystemCall.open(source, O_RDONLY)
        defer { SystemCall.close(src) }
        let dst = try SystemCall.open(destination, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        defer { SystemCall.close(dst) }
        try SystemCall.clone(src, into: dst, path: destination)
    }

    private func hardlink(_ source: String, _ destination: String) throws(SystemCallError) {
        try SystemCall.hardLink(source, destination)
    }

    private func copy(_ source: String, _ destination: String) throws(SystemCallError) {
        let src = try SystemCall.open(source, O_RDONLY)
        defer { SystemCall.close(src) }
        let dst = try SystemCall.open(destination, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        defer { SystemCall.close(dst) }
        try SystemCall.copyContents(from: src, to: dst, path: destination)
    }
}
