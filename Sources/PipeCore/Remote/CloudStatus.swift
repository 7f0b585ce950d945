import PipeBasics

/// Where each cached out of the lock is: `pipe status --cloud`.
public struct CloudStatus: Sendable, Equatable {
    /// One out's state.
    public enum State: String, Sendable, Equatable, Codable {
        /// In `.cache` and on the remote.
        case inSync = "in sync"
        /// In `.cache` only (push it).
        case onlyLocal = "only local"
        /// On the remote only (pull it).
        case onlyRemote = "only remote"
        /// In neither (rerun its stage).
        case missing
    }

    /// One out and where it is.
    public struct Entry: Sendable, Equatable {
        /// The stage that writes it.
        public var stage: String
        /// The out's path.
        public var path: String
        /// The remote it belongs to.
        public var remote: String
        /// Where it is.
        public var state: State
    }

    /// Every selected out, in lock order.
    public var entries: [Entry]
    /// The remote the command was about (`-r`, else the default), named when no out was selected.
    public var chosenRemote: String = ""

    /// A status of `entries`; `chosenRemote` names the remote when there are none.
    public init(entries: [Entry], chosenRemote: String = "") {
        self.entries = entries
        self.chosenRemote = chosenRemote
    }

    /// Whether everything is in sync.
    public var isInSync: Bool { entries.allSatisfy { $0.state == .inSync } }

    /// `stage  path  state` lines, one per out that is not in sync (or a single line saying all are).
    public var text: String {
        let out = entries.filter { $0.state != .inSync }
        guard !out.isEmpty else {
            let names = entries.isEmpty ? [chosenRemote] : Array(Set(entries.map(\.remote))).sorted()
            return names.count == 1 ? "Cache and remote '\(names[0])' are in sync.\n"
                                    : "Cache and remotes \(names.map { "'\($0)'" }.joined(separator: ", ")) are in sync.\n"
        }
        let width = out.map(\.state.rawValue.count).max() ?? 0
        return out.map { "\t" + $0.state.rawValue.padding(toLength: width, withPad: " ", startingAt: 0) + "  \($0.path)  (\($0.stage), remote \($0.remote))\n" }.joined()
    }
}

extension CloudStatus {
    /// `[{"stage":…,"path":…,"remote":…,"state":…}, …]`, one object per out, in lock order.
    public var json: String {
        JSONValue.array(entries.map { entry in
            .object([("stage", .string(entry.stage)), ("path", .string(entry.path)),
                     ("remote", .string(entry.remote)), ("state", .string(entry.state.rawValue))])
        }).text()
    }
}
