import Testing
@testable import PipeHTTP

/// A generator that always returns the largest value, so a jittered delay shows its ceiling.
struct MaximalGenerator: RandomNumberGenerator {
    mutating func next() -> UInt64 { .max }
}

/// A generator that always returns zero, the jitter's floor.
struct MinimalGenerator: RandomNumberGenerator {
    mutating func next() -> UInt64 { 0 }
}

@Suite("Retry policy: capped exponential backoff with full jitter")
struct HTTPRetryPolicyTests {
    @Test("the ceiling doubles per attempt from the base and stops at the cap; the floor is zero")
    func backoff() {
        let policy = HTTPRetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(100), maxDelay: .milliseconds(700))
        var high = MaximalGenerator()
        let ceilings = (1...5).map { policy.delay(afterAttempt: $0, using: &high) }
        #expect(ceilings == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(700),
                             .milliseconds(700)])
        var low = MinimalGenerator()
        #expect(policy.delay(afterAttempt: 3, using: &low) == .zero)
    }

    @Test("jittered delays stay within the ceiling")
    func jitterBounds() {
        let policy = HTTPRetryPolicy(baseDelay: .milliseconds(50), maxDelay: .seconds(1))
        var generator = SystemRandomNumberGenerator()
        for attempt in 1...6 {
            let ceiling = min(Duration.seconds(1), .milliseconds(50) * (1 << (attempt - 1)))
            for _ in 0..<50 { #expect(policy.delay(afterAttempt: attempt, using: &generator) <= ceiling) }
        }
    }

    @Test("throttling and server errors are retried by default, client errors are not; .none never retries")
    func defaults() {
        let policy = HTTPRetryPolicy()
        #expect(policy.retryableStatuses == [408, 429, 500, 502, 503, 504])
        #expect(policy.maxAttempts == 5)
        #expect(HTTPRetryPolicy.none.maxAttempts == 1)
        #expect(HTTPRetryPolicy(maxAttempts: 0).maxAttempts == 1)
    }
}
