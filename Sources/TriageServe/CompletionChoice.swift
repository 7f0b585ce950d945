/// One finished choice of a non-streamed completion, chat or legacy: its text, why it ended, how many tokens it
/// generated and, when asked for, its tokens' log-probabilities.
struct CompletionChoice {
    var text = ""
    var finishReason = FinishReason.stop
    var completionTokens = 0
    /// Nil when the request did not ask for log-probabilities.
    var logprobs: [TokenLogprob]?

    /// The choice `events` produce, its text after `prefix` (legacy `echo`).
    init(collecting events: AsyncThrowingStream<GenerationEvent, any Error>, prefix: String = "", logprobs: Bool) async throws {
        text = prefix
        self.logprobs = logprobs ? [] : nil
        for try await event in events {
            switch event {
            case let .text(piece, entries):
                text += piece
                self.logprobs?.append(contentsOf: entries)
            case let .finished(reason, completion):
                (finishReason, completionTokens) = (reason, completion)
            }
        }
    }
}
