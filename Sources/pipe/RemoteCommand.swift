import ArgumentParser
import Foundation
import PipeCore

/// `pipe remote …`: the remotes outs are pushed to and pulled from (`.pipe/config`, secrets in `.pipe/config.local`).
struct RemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote",
        abstract: "Add, list, modify and remove remotes (S3-compatible object storage or a directory).",
        subcommands: [Add.self, List.self, Remove.self, Rename.self, Default.self, Modify.self])

    /// Which config file an edit goes to.
    struct ScopeOptions: ParsableArguments {
        @Flag(help: "Edit .pipe/config.local (this machine only, never committed; the place for secrets).")
        var local = false
        var scope: ConfigFile.Scope { local ? .local : .project }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a remote: s3://BUCKET/PREFIX or a directory path (file:// URLs too).")
        @OptionGroup var repo: RepoOptions
        @OptionGroup var scope: ScopeOptions
        @Flag(name: [.customShort("d"), .customLong("default")], help: "Make it the default remote.") var makeDefault = false
        @Flag(name: [.customShort("f"), .customLong("force")], help: "Replace a remote of that name.") var force = false
        @Argument(help: "The remote's name.") var name: String
        @Argument(help: "Its URL.") var url: String

        func run() throws {
            let workspace = try Workspace.find(from: repo.start)
            try RemoteEditor(workspace: workspace).add(name: name, url: url, makeDefault: makeDefault, force: force,
                                                       scope: scope.scope)
            if makeDefault { print("Setting '\(name)' as a default remote.") }   // dvc remote add -d's line
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List remotes: name, URL, options (secrets masked).")
        @OptionGroup var repo: RepoOptions

        func run() throws {
            let config = try ProjectConfig.load(in: try Workspace.find(from: repo.start))
            for remote in config.remotes {
                // DVC's `name<TAB>url[<TAB>(default)]`, then pipe's options (secrets masked)
                var line = remote.name + "\t" + remote.url
                if remote.name == config.defaultRemoteName { line += "\t(default)" }
                for (key, value) in remote.maskedOptions { line += "\t\(key)=\(value)" }
                print(line)
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a remote.")
        @OptionGroup var repo: RepoOptions
        @OptionGroup var scope: ScopeOptions
        @Argument(help: "The remote's name.") var name: String

        func run() throws {
            try RemoteEditor(workspace: try Workspace.find(from: repo.start)).remove(name: name, scope: scope.scope)
        }
    }

    struct Rename: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rename a remote (in .pipe/config and .pipe/config.local, and the default if it named it).")
        @OptionGroup var repo: RepoOptions
        @Argument(help: "The remote's name.") var name: String
        @Argument(help: "Its new name.") var new: String

        func run() throws {
            try RemoteEditor(workspace: try Workspace.find(from: repo.start)).rename(name, to: new)
        }
    }

    struct Default: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the default remote, or set it.")
        @OptionGroup var repo: RepoOptions
        @OptionGroup var scope: ScopeOptions
        @Flag(name: [.customShort("u"), .customLong("unset")], help: "Unset the default.") var unset = false
        @Argument(help: "The remote to make the default.") var name: String?

        func validate() throws {
            if unset && name != nil { throw ValidationError("give a NAME or --unset, not both") }
        }

        func run() throws {
            let workspace = try Workspace.find(from: repo.start)
            if name == nil && !unset {
                guard let current = try ProjectConfig.load(in: workspace).defaultRemoteName else {
                    // a question answered "no", as `dvc remote default` answers it (exit 1), not a usage error
                    print("No default remote set")
                    throw ExitCode(1)
                }
                print(current)
                return
            }
            try RemoteEditor(workspace: workspace).setDefault(name, scope: scope.scope)
        }
    }

    struct Modify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set or unset an option of a remote.",
            discussion: "Options: \(ProjectConfig.remoteKeys.joined(separator: ", ")). "
                + "secret_access_key and session_token only with --local.")
        @OptionGroup var repo: RepoOptions
        @OptionGroup var scope: ScopeOptions
        @Flag(name: [.customShort("u"), .customLong("unset")], help: "Unset the option.") var unset = false
        @Argument(help: "The remote's name.") var name: String
        @Argument(help: "The option.") var key: String
        @Argument(help: "Its value.") var value: String?

        func validate() throws {
            if unset == (value != nil) { throw ValidationError("give a VALUE, or --unset without one") }
        }

        func run() throws {
            try RemoteEditor(workspace: try Workspace.find(from: repo.start))
                .modify(name: name, key: key, value: value, scope: scope.scope)
        }
    }
}
