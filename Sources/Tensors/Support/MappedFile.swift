#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only into memory (`open` + `fstat` + `mmap`, unmapped on deinit).
///
/// Checkpoint readers use it so a multi-gigabyte safetensors file costs no copy until a tensor is converted; the
/// kernel pages data in on demand and can drop it again under memory pressure.
public final class MappedFile: @unchecked Sendable {
    /// The file's path, for error messages.
    public let path: String
    /// The mapped bytes (empty for an empty file). Valid for the object's lifetime; never written.
    public let bytes: UnsafeRawBufferPointer

    /// Maps `path`; throws `SafeTensorsError(.unreadable)` naming the path and the OS reason.
    public init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw SafeTensorsError(.unreadable, path: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw SafeTensorsError(.unreadable, path: path, "cannot stat: \(String(cString: strerror(errno)))")
        }
        let length = Int(status.st_size)
        if length == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let address = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw SafeTensorsError(.unreadable, path: path, "cannot map: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: address, count: length)
    }

    /// Drops the pages that lie wholly inside `range` (byte offsets into `bytes`) from this process's resident set
    /// (`madvise(MADV_DONTNEED)`); reading them again pages them back in from the file. Why: a reader that converts a
    /// checkpoint tensor by tensor (NF4 on load) would otherwise keep every page it has read resident until the
    /// mapping closes, so the process peaked at the checkpoint's whole size on top of what it kept. Best effort: a
    /// failing `madvise` leaves the pages mapped and changes nothing else.
    public func releasePages(in range: Range<Int>) {
        guard let base = bytes.baseAddress, !range.isEmpty else { return }
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "releasePages: \(range) is outside the file")
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page
        let end = range.upperBound == bytes.count ? range.upperBound : range.upperBound / page * page
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
