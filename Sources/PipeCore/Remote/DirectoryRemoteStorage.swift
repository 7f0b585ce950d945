import Foundation
import PipeBasics

/// A remote that is a directory on this machine (a mounted share, another disk): objects are files under it in
/// `.cache`'s layout, each written to a temporary name beside its final one, synced, then renamed.
public struct DirectoryRemoteStorage: RemoteStorage {
    /// The directory's absolute path.
    public let root: String

    /// The storage at `root` (created on the first upload).
    public init(root: String) { self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root }

    public var displayName: String { root }

    public func probe(forWriting: Bool) async throws(RemoteError) {
        if let st = try? SystemCall.status(root) {
            guard st.isDirectory else { throw RemoteError(.configuration, "remote \(root) is not a directory", fix: "fix the remote's url") }
            return
        }
        guard forWriting else {
            throw RemoteError(.configuration, "remote directory \(root) does not exist",
                              fix: "push to it first, or fix the remote's url (pipe remote list)")
        }
        do { try SystemCall.makeDirectories(root) } catch {
            throw RemoteError(.configuration, "cannot create remote directory \(root) (\(error))", fix: "check the path is writable")
        }
    }

    public func list(prefix: String) async throws(RemoteError) -> [String: Int64] {
        var result: [String: Int64] = [:]
        func walk(_ relative: String) throws(RemoteError) {
            let path = relative.isEmpty ? root : root + "/" + relative
            let names: [String]
            do { names = try SystemCall.listDirectory(path) } catch {
                if error.errno == ENOENT { return }
                throw RemoteError(.transfer, "cannot list the remote directory (\(error))", key: path)
            }
            for name in names where !name.hasPrefix(".tmp-") {
                let child = relative.isEmpty ? name : relative + "/" + name
                guard let st = try? SystemCall.status(root + "/" + child) else { continue }
                if st.isDirectory { try walk(child) } else if child.hasPrefix(prefix) { result[child] = st.size }
            }
        }
        let start = prefix.hasSuffix("/") ? String(prefix.dropLast()) : String(prefix[..<(prefix.lastIndex(of: "/") ?? prefix.startIndex)])
        try walk(start)
        return result
    }

    public func exists(_ key: String) async throws(RemoteError) -> Bool {
        (try? SystemCall.status(root + "/" + key)) != nil
    }

    public func upload(file path: String, size: Int64, to key: String) async throws(RemoteError) {
        try Self.copy(from: path, to: root + "/" + key, key: key)
    }

    public func download(_ key: String, to path: String) async throws(RemoteError) {
        guard (try? SystemCall.status(root + "/" + key)) != nil else {
            throw RemoteError(.notFound, "not on the remote", key: key)
        }
        try Self.copy(from: root + "/" + key, to: path, key: key)
    }

    public func write(_ bytes: [UInt8], to key: String) async throws(RemoteError) {
        do { try AtomicFileWriter.write(bytes, to: root + "/" + key, permissions: 0o444) } catch {
            throw RemoteError(.transfer, "write failed (\(error))", key: key)
        }
    }

    public func read(_ key: String, limit: Int) async throws(RemoteError) -> [UInt8] {
        let path = root + "/" + key
        guard let st = try? SystemCall.status(path) else { throw RemoteError(.notFound, "not on the remote", key: key) }
        guard st.size <= Int64(limit) else {
            throw RemoteError(.transfer, "is \(st.size) bytes, more than the \(limit) expected", key: key)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RemoteError(.transfer, "cannot read the remote file", key: key)
        }
        return [UInt8](data)
    }

    public func delete(_ keys: [String]) async throws(RemoteError) {
        for key in keys {
            do { try SystemCall.removeFile(root + "/" + key) } catch {
                throw RemoteError(.transfer, "cannot delete (\(error))", key: key)
            }
        }
    }

    /// Copies `source` to `destination` atomically (the one atomic writer: temp sibling, fsync, rename).
    static func copy(from source: String, to destination: String, key: String) throws(RemoteError) {
        do { try AtomicFileWriter.copy(from: source, to: destination, permissions: 0o444) } catch {
            throw RemoteError(.transfer, "copy failed (\(error))", key: key)
        }
    }
}
