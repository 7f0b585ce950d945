import CXXHash
import Foundation

/// An expected content checksum written `algorithm:hex` in params, e.g. `xxh3:06b05ab6…` (XXH3-128, high half first
/// as `xxhsum -H2` prints it) or `sha256:ba7816bf…` (as `sha256sum` prints it).
public struct Checksum: Equatable, Sendable, CustomStringConvertible {
    /// The supported digest algorithms.
    public enum Algorithm: String, Sendable, CaseIterable {
        case xxh3
        case sha256
    }

    /// Which digest `hex` is.
    public var algorithm: Algorithm
    /// Lowercase hex digest.
    public var hex: String

    public init(algorithm: Algorithm, hex: String) {
        self.algorithm = algorithm
        self.hex = hex.lowercased()
    }

    /// Parses `algorithm:hex` (also accepting `xxh128` for xxh3), or nil with the reason.
    public static func parse(_ text: String) -> Result<Checksum, StageError> {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
            return .failure(StageError(.badParams, "checksum '\(text)' is not of the form algorithm:hex",
                                       fix: "write e.g. sha256:<64 hex digits> or xxh3:<32 hex digits>"))
        }
        let name = parts[0].lowercased() == "xxh128" ? "xxh3" : parts[0].lowercased()
        guard let algorithm = Algorithm(rawValue: name) else {
            return .failure(StageError(.badParams, "checksum algorithm '\(parts[0])' is not supported",
                                       fix: "use one of: \(Algorithm.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        let hex = parts[1].lowercased()
        let length = algorithm == .xxh3 ? 32 : 64
        guard hex.count == length, hex.allSatisfy(\.isHexDigit) else {
            return .failure(StageError(.badParams, "checksum '\(text)' must hold \(length) hex digits for \(name)"))
        }
        return .success(Checksum(algorithm: algorithm, hex: hex))
    }

    /// The checksum of the file at `url` with `algorithm`, read in 1 MiB blocks.
    public static func of(file url: URL, algorithm: Algorithm) throws -> Checksum {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw StageError(.badInput, "cannot read \(url.path) to checksum it")
        }
        defer { try? handle.close() }
        var digest = Digest(algorithm)
        while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty { digest.update(block) }
        return Checksum(algorithm: algorithm, hex: digest.finalize())
    }

    /// The checksum of `data` with `algorithm`.
    public static func of(data: Data, algorithm: Algorithm) -> Checksum {
        var digest = Digest(algorithm)
        digest.update(data)
        return Checksum(algorithm: algorithm, hex: digest.finalize())
    }

    public var description: String { "\(algorithm.rawValue):\(hex)" }

    /// An incremental digest of either algorithm, so downloads can hash while they stream.
    public struct Digest {
        private var sha: SHA256?
        private var xxh: XXH3Stream?

        public init(_ algorithm: Algorithm) {
            switch algorithm {
            case .sha256: sha = SHA256()
            case .xxh3: xxh = XXH3Stream()
            }
        }

        /// Feeds more bytes.
        public mutating func update(_ data: Data) {
            if sha != nil { sha!.update(data) }
            xxh?.update(data)
        }

        /// The lowercase hex digest of everything fed.
        public mutating func finalize() -> String {
            if let xxh { return xxh.finalizeHex() }
            return sha!.finalizeHex()
        }
    }
}

/// XXH3-128 over libxxhash (wraps `XXH3_createState`, `XXH3_128bits_reset/update/digest`, `XXH3_freeState`).
final class XXH3Stream {
    private let state: OpaquePointer

    init() {
        guard let state = XXH3_createState() else { fatalError("XXH3_createState returned NULL: out of memory") }
        self.state = state
        precondition(XXH3_128bits_reset(state) == XXH_OK, "XXH3_128bits_reset failed")
    }

    deinit { XXH3_freeState(state) }

    func update(_ data: Data) {
        data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { return }
            precondition(XXH3_128bits_update(state, base, raw.count) == XXH_OK, "XXH3_128bits_update failed")
        }
    }

    /// High 64 bits then low 64 bits, 32 lowercase hex digits (the `xxhsum -H2` form).
    func finalizeHex() -> String {
        let digest = XXH3_128bits_digest(state)
        return hex64(digest.high64) + hex64(digest.low64)
    }

    private func hex64(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
