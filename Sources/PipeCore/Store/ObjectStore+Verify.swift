import Foundation
import Glibc

/// Checking that objects still hold what their names say.
extension ObjectStore {
    /// What `verify` found.
    public enum Verification: Sendable, Equatable {
        case valid
        case missing
        /// The object's content hashes to `actual`; the object has been deleted so it can never be used.
        case corrupt(actual: ContentHash)
        /// A directory whose manifest or listed files are missing or corrupt (each named).
        case damagedDirectory(problems: [String])

        /// Whether the object can be used.
        public var isValid: Bool { self == .valid }
    }

    /// Re-hashes the object (and, for a directory, its manifest and every file it lists). A corrupt object is
    /// deleted and reported, never used. Results are memoised per object metadata within this process, so a
    /// second checkout of an untouched object does not read it again.
    public func verify(_ hash: ContentHash, isDirectory: Bool = false) -> Verification {
        guard isDirectory else { return verifyFile(hash) }
        let manifest: DirectoryManifest
        do { manifest = try self.manifest(for: hash) } catch {
            if error.code == .cacheCorrupt { try? remove(hash, isDirectory: true) }
            return error.code == .cacheCorrupt ? .damagedDirectory(problems: [error.message])
                : (FileManager.default.fileExists(atPath: objectPath(for: hash, isDirectory: true))
                   ? .damagedDirectory(problems: [error.message]) : .missing)
        }
        var problems: [String] = []
        var checked = Set<ContentHash>()
        let hasher = FileContentHasher()     // one read buffer for every file of the directory
        for file in manifest.entries where checked.insert(file.hash).inserted {
            switch verifyFile(file.hash, hasher: hasher) {
            case .valid: continue
            case .missing: problems.append("\(file.path): object \(file.hash.hex) missing")
            case let .corrupt(actual): problems.append("\(file.path): object \(file.hash.hex) corrupt (content hashes to \(actual.hex))")
            case .damagedDirectory: continue
            }
        }
        return problems.isEmpty ? .valid : .damagedDirectory(problems: problems)
    }

    /// Records that the object at `path` was just verified (its bytes hashed to its name before it took that
    /// name), with its metadata now, so `verify` does not read it again while the file stays as it is.
    func markVerified(_ path: String) {
        guard let status = try? SystemCall.status(path) else { return }
        Self.verified.withLock { $0[path] = status }
    }

    private func verifyFile(_ hash: ContentHash, hasher: FileContentHasher? = nil) -> Verification {
        let path = objectPath(for: hash)
        guard let before = try? SystemCall.status(path) else { return .missing }
        if Self.verified.withLock({ $0[path] }) == before { return .valid }
        let actual: ContentHash
        do { actual = try (hasher ?? FileContentHasher()).hashFile(atPath: path).hash } catch { return .missing }
        guard actual == hash else {
            try? remove(hash)
            return .corrupt(actual: actual)
        }
        Self.verified.withLock { $0[path] = before }
        return .valid
    }
}
