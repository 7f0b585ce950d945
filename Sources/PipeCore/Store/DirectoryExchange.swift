import Glibc

/// Atomic exchange of two paths with Linux's `renameat2(RENAME_EXCHANGE)`, looked up at run time (glibc ≥ 2.28
/// exports it, but the Swift Glibc module does not import it).
enum DirectoryExchange {
    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    private static let renameExchange: UInt32 = 1 << 1

    /// Swaps `a` and `b`; false when the call is unavailable or refused (the caller falls back to two renames).
    static func exchange(_ a: String, _ b: String) -> Bool {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
    }
}
