import Foundation
import Tensors

/// Process-wide runtime policy of the training stages: BLAS threads and the allocator.
///
/// - OpenBLAS runs single-threaded unless `OPENBLAS_NUM_THREADS` says otherwise. Why: the matrices of a small
///   model are too small to split, and OpenBLAS's worker threads spin-wait between calls — measured on the 2-core
///   machine, a default-threaded SFT run spent more time in the kernel (sys) than in user code; the library's own
///   row-parallel loops (`ParallelChunks`) still use every core.
/// - glibc's allocator keeps freed memory instead of returning it to the kernel. Why: every autograd step
///   allocates and frees activations of a few hundred KiB to a few MiB; above glibc's mmap threshold each one is a
///   fresh `mmap` whose pages fault in zero-filled and are unmapped on free. Measured on a 60-step SFT run: 6.5 s
///   of kernel time (page faults) for 9.6 s of user time, and 0.25 s with the memory kept (wall 36 s → 21 s).
///   Outputs are unchanged: only where the bytes live differs.
public enum TrainingRuntime {
    /// The allocation size below which glibc serves memory from its heap instead of a fresh mapping (1 GiB).
    public static let mmapThreshold: Int32 = 1 << 30
    /// The free memory glibc may keep at the top of its heap before returning it to the kernel (1 GiB).
    public static let trimThreshold: Int32 = 1 << 30

    /// Applies the policy; call once at the start of a stage, before the first tensor is allocated.
    /// Environment settings win: `OPENBLAS_NUM_THREADS`, and glibc's `MALLOC_MMAP_THRESHOLD_` /
    /// `MALLOC_TRIM_THRESHOLD_`.
    public static func configure(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if environment["OPENBLAS_NUM_THREADS"] == nil { BLAS.setThreadCount(1) }
        if environment["MALLOC_MMAP_THRESHOLD_"] == nil { GlibcMallopt.set(GlibcMallopt.mmapThreshold, mmapThreshold) }
        if environment["MALLOC_TRIM_THRESHOLD_"] == nil { GlibcMallopt.set(GlibcMallopt.trimThreshold, trimThreshold) }
    }
}

/// glibc's `mallopt`, looked up at run time: `<malloc.h>` is not part of Swift's Glibc module. A no-op where the
/// symbol does not exist (another libc).
enum GlibcMallopt {
    /// `M_TRIM_THRESHOLD` from glibc's `<malloc.h>`.
    static let trimThreshold: Int32 = -1
    /// `M_MMAP_THRESHOLD` from glibc's `<malloc.h>`.
    static let mmapThreshold: Int32 = -3

    /// Calls `mallopt(parameter, value)`; returns whether glibc accepted it.
    @discardableResult
    static func set(_ parameter: Int32, _ value: Int32) -> Bool {
        #if os(Linux)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
        return unsafeBitCast(symbol, to: Mallopt.self)(parameter, value) == 1
        #else
        return false
        #endif
    }
}
