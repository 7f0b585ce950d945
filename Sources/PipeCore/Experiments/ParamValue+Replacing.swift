extension ParamValue {
    /// A copy with the value at dotted `key` replaced (keys keep their order); unchanged when the key is absent.
    public func replacing(at key: String, with newValue: ParamValue) -> ParamValue {
        let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        return replacing(parts[...], with: newValue)
    }

    private func replacing(_ parts: ArraySlice<String>, with newValue: ParamValue) -> ParamValue {
        guard let head = parts.first else { return newValue }
        switch self {
        case let .dict(pairs):
            return .dict(pairs.map { $0.0 == head ? ($0.0, $0.1.replacing(parts.dropFirst(), with: newValue)) : $0 })
        case var .list(items):
            guard let i = Int(head), items.indices.contains(i) else { return self }
            items[i] = items[i].replacing(parts.dropFirst(), with: newValue)
            return .list(items)
        default:
            return self
        }
    }
}
