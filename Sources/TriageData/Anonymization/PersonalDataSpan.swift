import Foundation

/// A stretch of text found to be personal data: where it is (UTF-16 offsets, as `NSString` counts) and its kind.
public struct PersonalDataSpan: Sendable, Equatable, Comparable {
    public var range: NSRange
    public var kind: PersonalDataKind

    public init(range: NSRange, kind: PersonalDataKind) {
        self.range = range
        self.kind = kind
    }

    public static func < (a: PersonalDataSpan, b: PersonalDataSpan) -> Bool {
        a.range.location != b.range.location ? a.range.location < b.range.location : a.range.length > b.range.length
    }

    /// Whether the two spans share at least one UTF-16 unit.
    public func overlaps(_ other: NSRange) -> Bool { NSIntersectionRange(range, other).length > 0 }
}
