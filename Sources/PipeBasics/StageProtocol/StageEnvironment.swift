/// The environment variables through which the engine hands a stage its context: the one spelling both sides use.
public enum StageEnvironment {
    /// The stage's name (`clean`, or `train@lr=0.1` for a matrix member).
    public static let stage = "PIPE_STAGE"
    /// The repository root, absolute; a stage resolves its relative paths against it.
    public static let repoRoot = "PIPE_REPO_ROOT"
    /// The stage's parameters as one compact JSON object (keys in file order).
    public static let params = "PIPE_PARAMS"
    /// Where the engine looks up stage executables before the directory holding `pipe` (read by the engine only).
    public static let pluginDirectory = "PIPE_PLUGIN_DIR"
}
