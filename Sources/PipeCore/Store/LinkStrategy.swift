import Foundation
import PipeBasics

/// How a checkout puts a cached file into the workspace, tried in a configurable order (design §4).
public enum LinkStrategy: String, Sendable, Hashable, Codable, CaseIterable {
    /// A copy-on-write clone (`ioctl(FICLONE)`): instant, no extra space, independent afterwards.
    /// Needs btrfs, XFS (reflink=1), bcachefs, ZFS ≥ 2.2 or similar; fails on ext4.
    case reflink
    /// A hard link to the object: instant, no extra space, but the workspace file *is* the cache object, so it
    /// is read-only. Impossible across file systems and for executable files (objects are stored 0444).
    case hardlink
    /// A full byte copy (`sendfile`, falling back to read/write): always works, costs time and space.
    case copy

    /// reflink → hardlink → copy: the fastest safe choice first.
    public static let defaultOrder: [LinkStrategy] = [.reflink, .hardlink, .copy]

    /// Parses a comma-separated order such as `reflink,copy`; throws naming the unknown word.
    public static func order(parsing text: String) throws(PipeError) -> [LinkStrategy] {
        var order: [LinkStrategy] = []
        for word in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !word.isEmpty {
            guard let strategy = LinkStrategy(rawValue: word) else {
                let hint = DidYouMean.closest(to: word, in: LinkStrategy.allCases.map(\.rawValue)).map { " (did you mean \($0)?)" } ?? ""
                throw PipeError(.invalidValue, "unknown link strategy \(word.debugDescription)\(hint)",
                                fix: "use a comma-separated list of reflink, hardlink, copy")
            }
            if !order.contains(strategy) { order.append(strategy) }
        }
        guard !order.isEmpty else {
            throw PipeError(.invalidValue, "empty link strategy list", fix: "use e.g. reflink,hardlink,copy")
        }
        return order
    }
}
