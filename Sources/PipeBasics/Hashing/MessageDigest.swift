import CLibCrypto

/// A streaming cryptographic digest (SHA-256, MD5) over the system's OpenSSL libcrypto: download checksums and the
/// payload hashes and `Content-MD5` headers of S3 requests.
///
/// Why libcrypto rather than swift-crypto: on Linux swift-crypto compiles its own copy of BoringSSL (about 300 C
/// files, a minute of a first release build on 2 cores, most of the main command's stage build); libcrypto is
/// already on every Debian machine and gives the same digests with nothing to compile (docs/build.md).
/// Each libcrypto call is wrapped once here; C types never leave this file. Not thread-safe: one digest per stream
/// (a class only so the C context is freed exactly once, in `deinit`).
public final class MessageDigest {
    /// The digest algorithms this project needs.
    public enum Algorithm: Sendable {
        case sha256, md5

        /// The libcrypto method (wraps `EVP_sha256` / `EVP_md5`).
        fileprivate var method: OpaquePointer {
            switch self {
            case .sha256: EVP_sha256()
            case .md5: EVP_md5()
            }
        }
    }

    private let context: OpaquePointer

    /// A digest ready for `update` (wraps `EVP_MD_CTX_new` + `EVP_DigestInit_ex`).
    public init(_ algorithm: Algorithm) {
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new returned NULL: out of memory") }
        self.context = context
        let rc = EVP_DigestInit_ex(context, algorithm.method, nil)
        precondition(rc == 1, "EVP_DigestInit_ex failed for a built-in digest")
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Feeds bytes into the stream (wraps `EVP_DigestUpdate`).
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let rc = EVP_DigestUpdate(context, base, bytes.count)
        precondition(rc == 1, "EVP_DigestUpdate failed on a valid context")
    }

    /// Feeds a byte sequence held contiguously (an array, `Data`, a string's UTF-8).
    public func update<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil { Array(bytes).withUnsafeBytes { update($0) } }
    }

    /// The digest of everything fed; the stream ends here (wraps `EVP_DigestFinal_ex`).
    public func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let rc = EVP_DigestFinal_ex(context, &out, &length)
        precondition(rc == 1, "EVP_DigestFinal_ex failed on a valid context")
        return Array(out.prefix(Int(length)))
    }

    /// The digest of `bytes` in one call.
    public static func hash<Bytes: Sequence<UInt8>>(_ algorithm: Algorithm, _ bytes: Bytes) -> [UInt8] {
        let digest = MessageDigest(algorithm)
        digest.update(bytes)
        return digest.finalize()
    }

    /// HMAC-SHA256 of `message` under `key` (wraps the one-shot `HMAC` with `EVP_sha256`): SigV4's key derivation
    /// and request signature.
    public static func hmacSHA256(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { k in
            message.withUnsafeBytes { m in
                HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), m.baseAddress?.assumingMemoryBound(to: UInt8.self),
                     m.count, &out, &length)
            }
        }
        precondition(result != nil, "HMAC with SHA-256 failed")
        return Array(out.prefix(Int(length)))
    }

    /// Lowercase hex of `bytes` (digests as S3 and `sha256:` checksums spell them).
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
