/// Why a stage is stale or reran: data handed to the caller, printed by `pipe status` and carried to `--json`.
///
/// Each case names the input that triggered it, so "why does this stage rerun?" has a one-line answer.
public enum InvalidationReason: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The stage has no entry in pipe.lock.
    case neverRun
    /// `cmd`/`plugin` text differs from the lock.
    case commandChanged(old: String, new: String)
    /// A dependency's content differs from the lock.
    case depChanged(path: String)
    /// A dependency that the lock records is missing from the workspace.
    case depMissing(path: String)
    /// A dependency declared now but absent from the lock entry.
    case depAdded(path: String)
    /// A dependency in the lock entry no longer declared.
    case depRemoved(path: String)
    /// A declared param's value differs from the lock.
    case paramChanged(file: String, key: String, old: ParamValue, new: ParamValue)
    /// A param declared (or present) now that the lock entry lacks.
    case paramAdded(file: String, key: String, value: ParamValue)
    /// A param in the lock entry that is no longer declared or no longer in its file.
    case paramRemoved(file: String, key: String, old: ParamValue)
    /// A declared output is missing from the workspace.
    case outMissing(path: String)
    /// An output differs from what the lock records.
    case outModified(path: String)
    /// An output declared now that the lock entry lacks.
    case outAdded(path: String)
    /// An output in the lock entry no longer declared.
    case outRemoved(path: String)
    /// The stage is `always_changed`.
    case alwaysChanged
    /// An upstream stage is stale, so this one may change when it reruns.
    case upstreamStale(stage: String)
    /// The user forced the run (`-f`).
    case forced

    /// A short machine-readable tag (`param_changed`, …) used as `kind` in `--json`.
    public var kind: String {
        switch self {
        case .neverRun: "never_run"
        case .commandChanged: "cmd_changed"
        case .depChanged: "dep_changed"
        case .depMissing: "dep_missing"
        case .depAdded: "dep_added"
        case .depRemoved: "dep_removed"
        case .paramChanged: "param_changed"
        case .paramAdded: "param_added"
        case .paramRemoved: "param_removed"
        case .outMissing: "out_missing"
        case .outModified: "out_modified"
        case .outAdded: "out_added"
        case .outRemoved: "out_removed"
        case .alwaysChanged: "always_changed"
        case .upstreamStale: "upstream_stale"
        case .forced: "forced"
        }
    }

    /// Whether restoring outputs from the cache is enough to make the stage current (no rerun needed).
    public var isOutputOnly: Bool {
        switch self {
        case .outMissing, .outModified: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .neverRun: "never run"
        case let .commandChanged(old, new): "cmd changed: " + Self.clipAroundChange(old, new)
        case let .depChanged(path): "dep \(path) changed"
        case let .depMissing(path): "dep \(path) missing"
        case let .depAdded(path): "dep \(path) added"
        case let .depRemoved(path): "dep \(path) removed"
        case let .paramChanged(file, key, old, new): "param \(Self.key(file, key)) \(old) → \(new)"
        case let .paramAdded(file, key, value): "param \(Self.key(file, key)) added (\(value))"
        case let .paramRemoved(file, key, old): "param \(Self.key(file, key)) removed (was \(old))"
        case let .outMissing(path): "out \(path) missing"
        case let .outModified(path): "out \(path) modified"
        case let .outAdded(path): "out \(path) added"
        case let .outRemoved(path): "out \(path) removed"
        case .alwaysChanged: "always_changed"
        case let .upstreamStale(stage): "upstream \(stage) stale"
        case .forced: "forced"
        }
    }

    /// The stable JSON object for `--json`: `kind`, `message`, and the fields of the case.
    public var jsonFields: [(String, ParamValue)] {
        var f: [(String, ParamValue)] = [("kind", .string(kind)), ("message", .string(description))]
        switch self {
        case let .commandChanged(old, new): f += [("old", .string(old)), ("new", .string(new))]
        case let .depChanged(p), let .depMissing(p), let .depAdded(p), let .depRemoved(p),
             let .outMissing(p), let .outModified(p), let .outAdded(p), let .outRemoved(p):
            f.append(("path", .string(p)))
        case let .paramChanged(file, key, old, new):
            f += [("file", .string(file)), ("key", .string(key)), ("old", old), ("new", new)]
        case let .paramAdded(file, key, value): f += [("file", .string(file)), ("key", .string(key)), ("new", value)]
        case let .paramRemoved(file, key, old): f += [("file", .string(file)), ("key", .string(key)), ("old", old)]
        case let .upstreamStale(stage): f.append(("stage", .string(stage)))
        case .neverRun, .alwaysChanged, .forced: break
        }
        return f
    }

    private static func key(_ file: String, _ key: String) -> String {
        file == "params.yaml" ? key : "\(file):\(key)"
    }

    private static func clip(_ s: String) -> String {
        let one = s.replacingOccurrences(of: "\n", with: " && ")
        return one.count > 60 ? String(one.prefix(57)) + "…" : one
    }

    /// `old → new`, each clipped to 60 characters around where they first differ (a shared opening of more than
    /// 20 characters becomes `…`), so two long commands never show as the same text.
    private static func clipAroundChange(_ old: String, _ new: String) -> String {
        let a = Array(old.replacingOccurrences(of: "\n", with: " && "))
        let b = Array(new.replacingOccurrences(of: "\n", with: " && "))
        let shared = zip(a, b).prefix { $0 == $1 }.count
        let start = shared > 20 && max(a.count, b.count) > 60 ? shared - 20 : 0
        func window(_ chars: [Character]) -> String {
            let tail = String(chars[min(start, chars.count)...])
            return (start > 0 ? "…" : "") + (tail.count > 60 ? String(tail.prefix(57)) + "…" : tail)
        }
        return window(a) + " → " + window(b)
    }
}

import Foundation
