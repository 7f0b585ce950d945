/// The verdict on one stage: up to date, stale with its reasons, or frozen.
public struct StageStatus: Sendable, Equatable {
    public enum State: String, Sendable, Codable { case upToDate = "up_to_date", stale, frozen }

    public var stage: String
    public var state: State
    /// Every reason, own reasons first, then `upstreamStale` entries.
    public var reasons: [InvalidationReason]

    public init(stage: String, state: State, reasons: [InvalidationReason]) {
        self.stage = stage
        self.state = state
        self.reasons = reasons
    }

    /// Stale only because outputs are missing or modified: a cache checkout makes it current.
    public var isRestorable: Bool { !reasons.isEmpty && reasons.allSatisfy(\.isOutputOnly) }
}
