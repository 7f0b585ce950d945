/// MLflow's rule for metric, param and tag keys (`mlflow/utils/validation.py`, checked by the server on every
/// `runs/log-batch`): at most 250 characters, only alphanumerics, `_`, `-`, `.`, ` `, `:` and `/`, and a valid
/// relative path that stays the same when normalized (no empty, `.` or `..` segment, no leading `/`, not
/// starting with `..`). One bad key makes the server refuse the whole call, so keys are made valid before
/// sending rather than losing every value logged beside them.
public enum MLflowKey {
    /// Longest key the server takes (in characters, as Python counts them: Unicode scalars).
    public static let maxLength = 250

    /// Whether the server takes `key`.
    public static func isValid(_ key: String) -> Bool {
        key.unicodeScalars.count <= maxLength && key.unicodeScalars.allSatisfy(isAllowed) && isNormalPath(key)
    }

    /// `key` when valid; otherwise a valid key close to it: each disallowed character replaced by `_`, cut to
    /// 250 characters, and when it is still not a normal path every `/` replaced by `_` and a leading `.` (of
    /// `.`, `..…`) too. `acc@1` → `acc_1`, `lr (global)` → `lr _global_`, `a//b` → `a__b`.
    public static func sanitized(_ key: String) -> String {
        if isValid(key) { return key }
        var scalars = String.UnicodeScalarView(key.unicodeScalars.prefix(maxLength).map { isAllowed($0) ? $0 : "_" })
        if isNormalPath(String(scalars)) { return String(scalars) }
        scalars = String.UnicodeScalarView(scalars.map { $0 == "/" ? "_" : $0 })
        let flat = String(scalars)
        if flat.isEmpty { return "_" }
        if flat == "." || flat.hasPrefix("..") { return "_" + flat.dropFirst() }
        return flat
    }

    /// Python's `re.match(r"^[/\w.\- :]*$")`: `\w` is any Unicode letter or digit and `_`.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || "_-. :/".unicodeScalars.contains(scalar)
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// `posixpath.normpath(key) == key`, and not `.`, not starting with `..` or `/`.
    static func isNormalPath(_ key: String) -> Bool {
        guard !key.isEmpty, !key.hasPrefix(".."), !key.hasPrefix("/") else { return false }
        return key.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { $0 != "" && $0 != "." && $0 != ".." }
    }
}
