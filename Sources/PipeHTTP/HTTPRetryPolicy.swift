/// When and how long to wait before trying a request again: capped exponential backoff with full jitter
/// (a random wait in 0…min(cap, base·2ⁿ)), so many clients retrying at once spread out instead of colliding.
public struct HTTPRetryPolicy: Sendable {
    /// Attempts in all, the first included (1 = never retry).
    public var maxAttempts: Int
    /// The backoff's first ceiling.
    public var baseDelay: Duration
    /// The largest wait between two attempts.
    public var maxDelay: Duration
    /// Statuses worth retrying: throttling (429, 503 SlowDown) and server errors.
    public var retryableStatuses: Set<Int>

    /// A policy; the defaults give 5 attempts over at most ~3 s of waiting.
    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(2),
                retryableStatuses: Set<Int> = [408, 429, 500, 502, 503, 504]) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.retryableStatuses = retryableStatuses
    }

    /// Never retry.
    public static let none = HTTPRetryPolicy(maxAttempts: 1)

    /// The wait before attempt `attempt + 1` (after `attempt` failures, counted from 1), drawn with `generator`.
    public func delay(afterAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let exponent = min(attempt - 1, 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        let ceilingNanos = ceiling.components.seconds * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000
        guard ceilingNanos > 0 else { return .zero }
        // One draw scaled to 0…ceiling (the high word of draw × (ceiling + 1)): no rejection loop, so a test's
        // fixed generator gives exact bounds, and the bias is below 2⁻³² for any ceiling under four seconds.
        let scaled = (UInt64(ceilingNanos) + 1).multipliedFullWidth(by: generator.next()).high
        return .nanoseconds(Int64(scaled))
    }
}
