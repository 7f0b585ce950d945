/// Remembers each stage's serialized block of lock text, so rewriting a lock in which few entries changed costs
/// one equality check per unchanged entry instead of serializing it again.
///
/// `pipe repro` rewrites `pipe.lock` many times in one run; without this each rewrite re-serializes every entry
/// (O(stages) of string building per write). The text is byte-identical to `LockFile.yamlText()`: the same
/// header followed by the same per-stage blocks in name order.
public struct LockTextCache: Sendable {
    private var blocks: [String: (entry: LockedStage, text: String)] = [:]

    /// An empty cache: the first `yamlText(of:)` serializes every entry.
    public init() {}

    /// Number of stage blocks remembered (those of the last lock serialized).
    public var count: Int { blocks.count }

    /// The lock as YAML (exactly `lock.yamlText()`), reusing the block of every entry equal to the one serialized
    /// last time under the same name. O(stages · log stages) for the sort plus the size of the changed entries.
    public mutating func yamlText(of lock: LockFile) -> String {
        var out = lock.yamlHeader
        var next: [String: (entry: LockedStage, text: String)] = [:]
        next.reserveCapacity(lock.stages.count)
        for name in lock.stages.keys.sorted() {
            let stage = lock.stages[name]!
            let text: String
            if let known = blocks[name], known.entry == stage {
                text = known.text
            } else {
                text = LockFile.yamlBlock(name: name, stage: stage)
            }
            next[name] = (stage, text)
            out += text
        }
        blocks = next
        return out
    }
}
