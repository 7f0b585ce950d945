/// A lock file whose objects garbage collection keeps, with where it came from (for the report).
public struct KeptLock: Sendable {
    /// `workspace`, `experiment exp-1a2b3`, or `commit 1a2b3c4`.
    public var source: String
    /// The parsed lock.
    public var lock: LockFile

    /// A lock from `source`.
    public init(source: String, lock: LockFile) {
        self.source = source
        self.lock = lock
    }
}
