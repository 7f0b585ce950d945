import PipeBasics

// The plumbing types PipeCore's API and files name, defined once in PipeBasics. These aliases keep the names
// resolvable in every PipeCore file (and for `import PipeCore` clients) without a re-export of the whole module;
// a file that needs more of PipeBasics imports it.

/// An XXH3-128 digest (see `PipeBasics.ContentHash`).
public typealias ContentHash = PipeBasics.ContentHash
/// The streaming XXH3-128 hasher (see `PipeBasics.XXH3Hasher`).
public typealias XXH3Hasher = PipeBasics.XXH3Hasher
/// A failed POSIX call naming its function and path (see `PipeBasics.SystemCallError`).
public typealias SystemCallError = PipeBasics.SystemCallError
/// `stat(2)` fields hashing cares about (see `PipeBasics.FileStatus`).
public typealias FileStatus = PipeBasics.FileStatus
/// The POSIX wrappers (see `PipeBasics.SystemCall`).
typealias SystemCall = PipeBasics.SystemCall
