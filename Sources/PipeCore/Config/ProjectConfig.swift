import PipeBasics
import Foundation

/// The project's settings for growing past one machine: remotes, the default executor and tracking, read from
/// `.pipe/config` (committed) overlaid by `.pipe/config.local` (git-ignored; the only file that may hold secrets).
///
/// Values are kept as the files' ordered tree so editing one key rewrites the file without reordering the rest.
public struct ProjectConfig: Sendable, Equatable {
    /// The merged tree: the committed file, then every leaf of the local file over it.
    public var root: ParamValue

    /// Top-level keys a config file may hold.
    public static let sectionKeys = ["default_remote", "remotes", "executor", "slurm", "tracking"]
    /// Keys a remote's mapping may hold.
    public static let remoteKeys = ["url", "endpoint_url", "region", "profile", "jobs",
                                    "access_key_id", "secret_access_key", "session_token"]
    /// Remote keys whose values are secrets: written only to the local file, never printed.
    public static let secretRemoteKeys: Set<String> = ["secret_access_key", "session_token"]

    /// A config from an already validated tree.
    public init(root: ParamValue = .dict([])) { self.root = root }

    /// The remotes, in file order.
    public var remotes: [RemoteSettings] {
        guard case let .dict(entries)? = root.member("remotes") else { return [] }
        return entries.compactMap { name, value in
            guard case let .dict(options) = value else { return nil }
            var strings: [String: String] = [:]
            for (key, option) in options { strings[key] = option.interpolationText }
            guard let url = strings.removeValue(forKey: "url") else { return nil }
            return RemoteSettings(name: name, url: url, options: strings)
        }
    }

    /// Keys of `tracking.mlflow`: the tracking server's URI and the MLflow experiment runs go to.
    public static let mlflowKeys = ["uri", "experiment"]

    /// `tracking.mlflow.uri`, if set (the `MLFLOW_TRACKING_URI` environment variable wins over it).
    public var mlflowURI: String? { root.member("tracking")?.member("mlflow")?.member("uri")?.interpolationText }
    /// `tracking.mlflow.experiment`, if set (`MLFLOW_EXPERIMENT_NAME` wins over it).
    public var mlflowExperiment: String? {
        root.member("tracking")?.member("mlflow")?.member("experiment")?.interpolationText
    }

    /// The remote named by `default_remote`, if set.
    public var defaultRemoteName: String? { root.member("default_remote")?.interpolationText }

    /// The remote called `name`, or the default when `name` is nil.
    ///
    /// - Throws: `.usage` when there is no such remote, or no name and no default (the message says how to add one).
    public func remote(named name: String?) throws(PipeError) -> RemoteSettings {
        let all = remotes
        guard let wanted = name ?? defaultRemoteName else {
            throw PipeError(.usage, all.isEmpty ? "no remote is configured" : "no default remote is set",
                            fix: all.isEmpty ? "add one: pipe remote add -d NAME URL"
                                             : "pass -r NAME or set one: pipe remote default NAME")
        }
        guard let found = all.first(where: { $0.name == wanted }) else {
            var fix = "configured remotes: " + (all.isEmpty ? "none (pipe remote add NAME URL)" : all.map(\.name).joined(separator: ", "))
            if let guess = DidYouMean.closest(to: wanted, in: all.map(\.name)) { fix = "did you mean '\(guess)'? " + fix }
            throw PipeError(.usage, "no remote named '\(wanted)'", fix: fix)
        }
        return found
    }
}

extension ParamValue {
    /// The value under `key` of a mapping; nil for other values or a missing key.
    func member(_ key: String) -> ParamValue? {
        guard case let .dict(entries) = self else { return nil }
        return entries.first { $0.0 == key }?.1
    }
}
