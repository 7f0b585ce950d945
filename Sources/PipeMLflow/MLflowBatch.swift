import PipeBasics

/// MLflow's limits on one `runs/log-batch` call and on values, and the splitting that keeps within them.
public struct MLflowBatch: Sendable, Equatable, Codable {
    /// Metrics per call.
    public static let maxMetrics = 1000
    /// Params per call.
    public static let maxParams = 100
    /// Tags per call.
    public static let maxTags = 100
    /// Longest param value the server stores.
    public static let maxParamValue = 6000
    /// Longest tag value the server stores.
    public static let maxTagValue = 8000
    /// Tag listing the params whose values were cut to `maxParamValue` characters.
    public static let truncatedParamsTag = "pipe.truncated_params"
    /// Entities (metrics, params and tags together) per call.
    public static let maxEntities = 1000
    /// Largest request body a call is filled to: the server refuses bodies over 1,000,000 bytes; this keeps a
    /// margin for the run id and the JSON around the entities.
    public static let maxBodyBytes = 900_000
    /// Tag listing the keys that were not valid MLflow keys and were renamed, as `old=new`.
    public static let renamedKeysTag = "pipe.renamed_keys"

    /// Metric points, in the order given.
    public var metrics: [MLflowMetric] = []
    /// Params (each key logged once per run; MLflow refuses a changed value).
    public var params: [MLflowKeyValue] = []
    /// Tags (a later value replaces an earlier one).
    public var tags: [MLflowKeyValue] = []

    /// A batch.
    public init(metrics: [MLflowMetric] = [], params: [MLflowKeyValue] = [], tags: [MLflowKeyValue] = []) {
        self.metrics = metrics
        self.params = params
        self.tags = tags
    }

    /// Whether there is nothing to send.
    public var isEmpty: Bool { metrics.isEmpty && params.isEmpty && tags.isEmpty }

    /// The calls that send all of it within the limits: keys made valid (`MLflowKey`; the renamed ones listed in
    /// the `pipe.renamed_keys` tag as `old=new`), values too long cut (params listed in `pipe.truncated_params`),
    /// a param logged twice kept once (the server refuses a batch naming a param twice) and a tag set twice kept
    /// with its last value; then everything is dealt out in order, each call holding at most 100 params, 100
    /// tags, 1000 metrics, 1000 entities in all, and a body well under the server's 1 MB.
    public func split() -> [MLflowBatch] {
        var renamed: [String] = [], seenRenamed: Set<String> = []
        func valid(_ key: String) -> String {
            let fixed = MLflowKey.sanitized(key)
            if fixed != key, seenRenamed.insert(key).inserted { renamed.append("\(key)=\(fixed)") }
            return fixed
        }
        let metrics = self.metrics.map { MLflowMetric(key: valid($0.key), value: $0.value, timestamp: $0.timestamp, step: $0.step) }
        var params: [MLflowKeyValue] = [], seenParams: Set<String> = [], truncated: [String] = []
        for param in self.params {
            let key = valid(param.key)
            guard seenParams.insert(key).inserted else { continue }
            let cut = Self.prefix(param.value, Self.maxParamValue)
            if cut != param.value { truncated.append(key) }
            params.append(MLflowKeyValue(key: key, value: cut))
        }
        var tags = self.tags.map { MLflowKeyValue(key: valid($0.key), value: Self.prefix($0.value, Self.maxTagValue)) }
        if !truncated.isEmpty {
            tags.append(MLflowKeyValue(key: Self.truncatedParamsTag,
                                       value: Self.prefix(truncated.joined(separator: ","), Self.maxTagValue)))
        }
        if !renamed.isEmpty {
            tags.append(MLflowKeyValue(key: Self.renamedKeysTag,
                                       value: Self.prefix(renamed.joined(separator: ","), Self.maxTagValue)))
        }
        let lastTag = Dictionary(tags.enumerated().map { ($1.key, $0) }, uniquingKeysWith: max)
        tags = tags.enumerated().filter { lastTag[$1.key] == $0 }.map(\.element)

        var calls: [MLflowBatch] = []
        var m = metrics[...], p = params[...], t = tags[...]
        while !m.isEmpty || !p.isEmpty || !t.isEmpty {
            var call = MLflowBatch(), entities = 0, bytes = 0
            func fits(_ size: Int) -> Bool { entities < Self.maxEntities && (entities == 0 || bytes + size <= Self.maxBodyBytes) }
            while let next = p.first, call.params.count < Self.maxParams, fits(Self.size(next)) {
                call.params.append(next); p.removeFirst(); entities += 1; bytes += Self.size(next)
            }
            while let next = t.first, call.tags.count < Self.maxTags, fits(Self.size(next)) {
                call.tags.append(next); t.removeFirst(); entities += 1; bytes += Self.size(next)
            }
            while let next = m.first, call.metrics.count < Self.maxMetrics, fits(Self.size(next)) {
                call.metrics.append(next); m.removeFirst(); entities += 1; bytes += Self.size(next)
            }
            calls.append(call)
        }
        return calls
    }

    /// The first `limit` characters of `text` as the server counts them (Unicode scalars, Python's `len`).
    static func prefix(_ text: String, _ limit: Int) -> String {
        text.unicodeScalars.count <= limit ? text : String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit)))
    }

    /// An upper bound of the bytes a param or tag adds to the request body.
    static func size(_ pair: MLflowKeyValue) -> Int {
        JSONString.quote(pair.key).utf8.count + JSONString.quote(pair.value).utf8.count + 20
    }

    /// An upper bound of the bytes a metric adds to the request body.
    static func size(_ metric: MLflowMetric) -> Int { JSONString.quote(metric.key).utf8.count + 110 }
}
