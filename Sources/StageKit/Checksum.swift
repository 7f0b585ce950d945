import Foundation
import PipeBasics

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

    /// An incremental digest of either algorithm, so downloads can hash while they stream (both from PipeBasics:
    /// SHA-256 over libcrypto, XXH3-128 over libxxhash).
    public struct Digest {
        private let sha: MessageDigest?
        private let xxh: XXH3Hasher?

        public init(_ algorithm: Algorithm) {
            switch algorithm {
            case .sha256: sha = MessageDigest(.sha256); xxh = nil
            case .xxh3: sha = nil; xxh = XXH3Hasher()
            }
        }

        /// Feeds more bytes.
        public mutating func update(_ data: Data) {
            sha?.update(data)
            xxh?.update(data)
        }

        /// The lowercase hex digest of everything fed.
        public mutating func finalize() -> String {
            if let xxh { return xxh.finalize().hex }
            return MessageDigest.hex(sha!.finalize())
        }
    }
}
