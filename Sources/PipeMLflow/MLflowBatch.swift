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

    /// The calls that send all of it within the limits: values too long are cut (params listed in the
    /// `pipe.truncated_params` tag), then everything is dealt out in order, each call filled to the limits.
    public func split() -> [MLflowBatch] {
        var params = self.params
        var tags = self.tags.map { MLflowKeyValue(key: $0.key, value: String($0.value.prefix(Self.maxTagValue))) }
        var truncated: [String] = []
        for index in params.indices where params[index].value.count > Self.maxParamValue {
            truncated.append(params[index].key)
            params[index].value = String(params[index].value.prefix(Self.maxParamValue))
        }
        if !truncated.isEmpty {
            let text = truncated.joined(separator: ",")
            tags.append(MLflowKeyValue(key: Self.truncatedParamsTag, value: String(text.prefix(Self.maxTagValue))))
        }
        var calls: [MLflowBatch] = []
        var m = metrics[...], p = params[...], t = tags[...]
        while !m.isEmpty || !p.isEmpty || !t.isEmpty {
            calls.append(MLflowBatch(metrics: Array(m.prefix(Self.maxMetrics)), params: Array(p.prefix(Self.maxParams)),
                                     tags: Array(t.prefix(Self.maxTags))))
            m = m.dropFirst(Self.maxMetrics)
            p = p.dropFirst(Self.maxParams)
            t = t.dropFirst(Self.maxTags)
        }
        return calls
    }
}
