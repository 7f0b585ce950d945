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

extension ParamValue {
    /// A copy with dotted `key` added at the end of its mapping, creating the missing mappings on the way.
    public func inserting(at key: String, value newValue: ParamValue) -> ParamValue {
        inserting(key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)[...], value: newValue)
    }

    private func inserting(_ parts: ArraySlice<String>, value newValue: ParamValue) -> ParamValue {
        guard let head = parts.first else { return newValue }
        switch self {
        case var .dict(pairs):
            if let i = pairs.firstIndex(where: { $0.0 == head }) {
                pairs[i].1 = pairs[i].1.inserting(parts.dropFirst(), value: newValue)
            } else {
                pairs.append((head, ParamValue.dict([]).inserting(parts.dropFirst(), value: newValue)))
            }
            return .dict(pairs)
        default:
            return self
        }
    }

    /// A copy without dotted `key` (a mapping entry); unchanged when it is absent.
    public func removing(at key: String) -> ParamValue {
        removing(key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)[...])
    }

    private func removing(_ parts: ArraySlice<String>) -> ParamValue {
        guard let head = parts.first, case var .dict(pairs) = self else { return self }
        if parts.count == 1 { return .dict(pairs.filter { $0.0 != head }) }
        if let i = pairs.firstIndex(where: { $0.0 == head }) { pairs[i].1 = pairs[i].1.removing(parts.dropFirst()) }
        return .dict(pairs)
    }
}
