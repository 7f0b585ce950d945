import Foundation

/// The entry point every stage executable uses: builds the context, runs the body, and turns errors into a clear
/// `error: <stage>: message` on stderr with exit code 2 (bad params/usage) or 1 (stage failure).
public enum StageMain {
    /// Runs `body` with the process's context and exits; never returns.
    public static func run(name: String, _ body: (StageContext) throws -> Void) -> Never {
        let context = StageContext.current(defaultName: name)
        exit(execute(context, body))
    }

    /// Runs `body` with `context` and returns the exit code instead of exiting (tests call this).
    public static func execute(_ context: StageContext, errorOutput: ((String) -> Void)? = nil,
                               _ body: (StageContext) throws -> Void) -> Int32 {
        let emit = errorOutput ?? { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        do {
            try body(context)
            return 0
        } catch let error as StageError {
            emit("error: \(context.stageName): \(error.description)")
            return error.exitCode
        } catch {
            emit("error: \(context.stageName): \(error)")
            return 1
        }
    }
}
