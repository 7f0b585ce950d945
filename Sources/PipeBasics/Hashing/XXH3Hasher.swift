import CXXHash

/// A streaming XXH3-128 hasher over libxxhash, so files of any size hash in one pass with bounded memory.
///
/// Each libxxhash call is wrapped once here; C types never leave this file. Not thread-safe: one hasher
/// per stream (it is a class only so the C state is freed exactly once, in `deinit`).
public final class XXH3Hasher {
    private let state: OpaquePointer

    /// Creates a hasher ready for `update` (wraps `XXH3_createState` + `XXH3_128bits_reset`).
    public init() {
        guard let state = XXH3_createState() else {
            fatalError("XXH3_createState returned NULL: out of memory")
        }
        self.state = state
        reset()
    }

    deinit { XXH3_freeState(state) }

    /// Starts a new stream, forgetting everything fed so far (wraps `XXH3_128bits_reset`).
    public func reset() {
        let rc = XXH3_128bits_reset(state)
        precondition(rc == XXH_OK, "XXH3_128bits_reset failed on a valid state")
    }

    /// Feeds bytes into the stream (wraps `XXH3_128bits_update`; on x86-64 its runtime-dispatched twin
    /// `XXH3_128bits_update_dispatch`, which uses AVX2/AVX-512 when the CPU has them, as `xxhsum` does).
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        #if arch(x86_64)
        let rc = XXH3_128bits_update_dispatch(state, base, bytes.count)
        #else
        let rc = XXH3_128bits_update(state, base, bytes.count)
        #endif
        precondition(rc == XXH_OK, "XXH3_128bits_update failed on a valid state")
    }

    /// Feeds a byte sequence held contiguously (an array, `Data`, a string's UTF-8).
    public func update<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { update($0) }
        }
    }

    /// The digest of everything fed since the last reset; the stream may continue (wraps `XXH3_128bits_digest`).
    public func finalize() -> ContentHash {
        let digest = XXH3_128bits_digest(state)
        return ContentHash(high: digest.high64, low: digest.low64)
    }

    /// One-shot XXH3-128 of a buffer (wraps `XXH3_128bits`, or `XXH3_128bits_dispatch` on x86-64).
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> ContentHash {
        #if arch(x86_64)
        let digest = XXH3_128bits_dispatch(bytes.baseAddress, bytes.count)
        #else
        let digest = XXH3_128bits(bytes.baseAddress, bytes.count)
        #endif
        return ContentHash(high: digest.high64, low: digest.low64)
    }

    /// One-shot XXH3-128 of a byte sequence.
    public static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> ContentHash {
        let hasher = XXH3Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }
}
