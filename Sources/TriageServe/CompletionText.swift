/// The text of a completion as it grows token by token, and how much of it may be sent yet.
///
/// Why: a stop string can arrive split over several tokens, and a character over several byte-level tokens. Text
/// that could still turn into a stop string, or that ends in an incomplete character (U+FFFD from the decoder), is
/// held back until the next token settles it, so a streamed completion sends exactly the text the non-streamed one
/// returns, and never the stop string itself.
struct CompletionText {
    let stops: [String]
    /// Unicode scalars already handed out.
    private(set) var sent = 0

    init(stops: [String]) { self.stops = stops }

    /// Given the whole decoded text so far: the new text that is safe to send, and whether a stop string ended it.
    mutating func advance(to text: String, final: Bool) -> (delta: String, stopped: Bool) {
        var scalars = Array(text.unicodeScalars)
        if let cut = stops.compactMap({ text.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
            scalars = Array(text[..<cut.lowerBound].unicodeScalars)
            return (take(upTo: scalars.count, of: scalars), true)
        }
        var end = scalars.count
        if !final {
            if scalars.last == "\u{FFFD}" { end -= 1 }
            // Hold back the longest tail that is the start of some stop string.
            let held = stops.map { stop -> Int in
                let limit = min(stop.unicodeScalars.count, end)
                guard limit > 0 else { return 0 }
                return (1...limit).reversed().first { length in
                    scalars[(end - length)..<end].elementsEqual(stop.unicodeScalars.prefix(length))
                } ?? 0
            }.max() ?? 0
            end -= held
        }
        return (take(upTo: end, of: scalars), false)
    }

    private mutating func take(upTo end: Int, of scalars: [Unicode.Scalar]) -> String {
        guard end > sent else { return "" }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[sent..<end])
        sent = end
        return String(out)
    }
}
