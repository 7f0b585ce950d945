import ArgumentParser
import Foundation
import PipeCore

/// The `pipe` root command. Named PipeCommand because Foundation already has a `Pipe`.
@main
struct PipeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipe",
        abstract: "A declarative pipeline engine: reproduce only what changed, and say why.",
        subcommands: [ReproCommand.self, StatusCommand.self, DagCommand.self, LockCommand.self,
                      CheckoutCommand.self, CommitCommand.self, ParamsCommand.self, MetricsCommand.self,
                      PlotsCommand.self, ExpCommand.self, GcCommand.self, RemoteCommand.self,
                      PushCommand.self, FetchCommand.self, PullCommand.self])

    /// Owns the top level so every failure maps to pipe's exit codes: 2 invalid input or usage, 1 failure.
    static func main() async {
        do {
            var arguments = Array(CommandLine.arguments.dropFirst())
            // `pipe -C DIR …` as in git and make: change directory before anything else.
            while arguments.count >= 2, arguments[0] == "-C" || arguments[0] == "--repo" {
                guard FileManager.default.changeCurrentDirectoryPath(arguments[1]) else {
                    throw PipeError(.usage, "cannot change to directory \(arguments[1])", fix: "check the path given to -C")
                }
                arguments.removeFirst(2)
            }
            var command = try parseAsRoot(arguments)
            if type(of: command) is any TransferCommand.Type { TransferProcess.prepare() }
            if var asyncCommand = command as? any AsyncParsableCommand { try await asyncCommand.run() } else { try command.run() }
        } catch let error as PipeError {
            FileHandle.standardError.write(Data((Terminal.errorText(error) + "\n").utf8))
            Foundation.exit(error.exitCode)
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(code == .validationFailure || code.rawValue == 64 ? 2 : code.rawValue)
        }
    }
}

/// Options every command that reads a repository shares.
struct RepoOptions: ParsableArguments {
    @Option(name: [.customShort("C"), .customLong("repo")], help: "Run as if started in this directory.")
    var directory: String?

    /// Where the repository is looked for: `-C` when given, otherwise the current directory.
    var start: URL { URL(fileURLWithPath: directory ?? FileManager.default.currentDirectoryPath) }

    func project(validateDeps: Bool = true) throws -> Project {
        try Project.open(from: start, validateDeps: validateDeps)
    }
}
