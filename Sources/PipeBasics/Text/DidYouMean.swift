/// The one "did you mean" suggester: the closest known name to a misspelt one by Levenshtein distance.
///
/// Case is ignored when measuring (`Seed` for `seed` is the likeliest typo of all) but the suggestion keeps the
/// candidate's own spelling. A candidate is suggested only within `max(2, word.count / 3)` edits; ties go to the
/// candidate first in sorted order, so the hint never depends on the order candidates were listed in.
public enum DidYouMean {
    /// The candidate nearest to `word`, or nil when none is close enough to be a plausible typo.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        let folded = Array(word.lowercased())
        var best: (candidate: String, distance: Int)?
        for candidate in candidates.sorted() {
            let d = distance(folded, Array(candidate.lowercased()))
            if d <= limit, d < (best?.distance ?? .max) { best = (candidate, d) }
        }
        return best?.candidate
    }

    /// Levenshtein edit distance over characters (case-sensitive); O(|a|·|b|) time, O(|b|) memory.
    public static func distance(_ a: String, _ b: String) -> Int {
        distance(Array(a), Array(b))
    }

    private static func distance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        var current = previous
        for (i, ca) in a.enumerated() {
            current[0] = i + 1
            for (j, cb) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
