/// Why a training, merge or evaluation step could not proceed; each case names the file and says what to do.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// An input file is missing, empty or malformed.
    case badInput(file: String, line: Int?, problem: String)
    /// The merged checkpoint does not reproduce base + adapter within the tolerance.
    case mergeMismatch(maxAbsoluteDifference: Double, tolerance: Double, detail: String)
    /// A loss or weight became NaN or infinite.
    case nonFinite(what: String)

    /// A stable code tests can match.
    public var code: String {
        switch self {
        case .badInput: "training.bad-input"
        case .mergeMismatch: "training.merge-mismatch"
        case .nonFinite: "training.non-finite"
        }
    }

    /// What is wrong, where, and what to do.
    public var description: String {
        switch self {
        case let .badInput(file, line, problem):
            "\(file)\(line.map { ":\($0)" } ?? ""): \(problem). Rerun the upstream stage (pipe repro) or fix the file."
        case let .mergeMismatch(difference, tolerance, detail):
            "merged logits differ from base + adapter by \(difference) (tolerance \(tolerance)): \(detail). "
                + "The adapter or the merge is corrupt; re-run sft/dpo, or raise merge.tolerance only if the base is not NF4."
        case let .nonFinite(what):
            "\(what) is not finite. Lower the learning rate or check the inputs for corrupt values."
        }
    }
}
