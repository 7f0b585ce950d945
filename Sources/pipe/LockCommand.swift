import ArgumentParser
import PipeCore

/// `pipe lock --check`: CI's question, "is pipe.lock fresh for what this checkout holds?".
struct LockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock", abstract: "Check that pipe.lock is fresh, without needing the data.")

    @OptionGroup var repo: RepoOptions
    @Flag(help: "Verify pipe.lock against the checkout; exit 1 when stale.") var check = false
    @Flag(help: "Print stable JSON.") var json = false

    func validate() throws {
        if !check { throw ValidationError("pipe lock needs --check (the lock is written by `pipe repro` and `pipe commit`)") }
    }

    func run() throws {
        let project = try repo.project(validateDeps: false)
        let result = try project.lockCheck()
        print(json ? LockCheckReport.json(result) : LockCheckReport.text(result), terminator: json ? "\n" : "")
        if !result.isFresh { throw ExitCode(1) }
    }
}
