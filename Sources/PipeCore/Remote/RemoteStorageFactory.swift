import Foundation

/// Opens the storage a configured remote names. PipeCore knows directories; the CLI adds S3 (whose HTTP stack
/// PipeCore does not link) by wrapping this factory.
public struct RemoteStorageFactory: Sendable {
    /// Builds the storage for a remote of this repository.
    public var open: @Sendable (RemoteSettings, Workspace) throws -> any RemoteStorage

    /// A factory from a closure.
    public init(open: @escaping @Sendable (RemoteSettings, Workspace) throws -> any RemoteStorage) { self.open = open }

    /// Directories only: an S3 URL is refused with a message saying this build cannot reach it.
    public static let directories = RemoteStorageFactory { settings, workspace in
        switch try settings.location {
        case let .directory(path):
            let absolute = path.hasPrefix("/") ? path : workspace.root.appendingPathComponent(path).standardizedFileURL.path
            return DirectoryRemoteStorage(root: absolute)
        case .s3:
            throw PipeError(.remoteConfig, "remote '\(settings.name)' is on S3, which this build of pipe cannot reach "
                            + "(built without the Network trait)",
                            fix: "build pipe with its default traits: `swift build -c release --product pipe`")
        }
    }

    /// The default number of concurrent transfers: sixteen per core, at most 64 (the connection pool's size).
    /// Transfers wait on the network and the server, not on this CPU; on small objects more requests in flight
    /// let both sides batch their work (docs/remotes.md, "How many transfers at once").
    public static var defaultJobs: Int { min(64, 16 * ProcessInfo.processInfo.activeProcessorCount) }
}
