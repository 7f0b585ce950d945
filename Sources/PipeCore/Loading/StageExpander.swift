/// Turns one entry of `stages:` into the stages it defines: itself, or one per `foreach` item or `matrix` cell.
///
/// Naming follows DVC: `foreach` over a mapping gives `name@key`; over a list of scalars `name@value`; over a
/// list holding any list or mapping `name@0`, `name@1`, …; `matrix` gives `name@v1-v2` (one fragment per axis in
/// axis order, the value for scalars, `axis<index>` for lists and mappings). `${item}` is the iteration value;
/// `${key}` is the mapping key (foreach over a mapping) or the generated suffix (matrix).
struct StageExpander {
    let parser: StageParser
    let vars: VarsLoader

    /// Characters a declared stage name may not contain (`@` is reserved for generated names).
    static let invalidNameCharacters: Set<Character> = ["@", ":", "/", "\\"]

    /// The stages defined by the entry `name: definition` under `stages:`.
    func expand(name: String, nameLocation: SourceLocation, definition: SourceNode,
                context: TemplateContext, params: inout ParamsLoader) throws -> [Stage] {
        let keyPath = "stages.\(name)"
        guard !name.isEmpty, !name.contains(where: { Self.invalidNameCharacters.contains($0) || $0.isWhitespace }) else {
            throw PipeError(.invalidValue, "'\(name)' is not a valid stage name: names cannot be empty or contain '@', ':', '/', '\\' or spaces",
                            fix: "rename the stage, e.g. with '-' or '_'", location: nameLocation, keyPath: keyPath)
        }
        guard let entries = definition.entries else {
            throw PipeError(.invalidValue, "stage '\(name)' must be a mapping of fields, not \(definition.typeName)",
                            fix: "write the stage's 'cmd', 'deps', 'outs', … indented under its name",
                            location: definition.location, keyPath: keyPath)
        }
        let hasForeach = entries.contains { $0.key == "foreach" }
        let hasMatrix = entries.contains { $0.key == "matrix" }
        if hasForeach && hasMatrix {
            throw PipeError(.invalidValue, "stage '\(name)' has both 'foreach' and 'matrix'",
                            fix: "use one of them", location: nameLocation, keyPath: keyPath)
        }
        if hasForeach { return try expandForeach(name: name, nameLocation: nameLocation, definition: definition, context: context, params: &params) }
        if hasMatrix { return try expandMatrix(name: name, nameLocation: nameLocation, entries: entries, context: context, params: &params) }
        if entries.contains(where: { $0.key == "do" }) {
            throw PipeError(.invalidValue, "stage '\(name)' has 'do' without 'foreach'",
                            fix: "add 'foreach: <list or mapping>' or move the fields out of 'do'",
                            location: nameLocation, keyPath: "\(keyPath).do")
        }
        return [try build(name: name, template: definition, context: context, keyPath: keyPath, location: nameLocation, params: &params)]
    }

    private func expandForeach(name: String, nameLocation: SourceLocation, definition: SourceNode,
                               context: TemplateContext, params: inout ParamsLoader) throws -> [Stage] {
        let keyPath = "stages.\(name)"
        let entries = try StageParser.checkKeys(definition, allowed: ["foreach", "do"], keyPath: keyPath,
                                                what: "foreach stage '\(name)'")
        guard let template = entries.first(where: { $0.key == "do" })?.value else {
            throw PipeError(.missingKey, "foreach stage '\(name)' has no 'do'",
                            fix: "add 'do:' with the stage fields to repeat", location: nameLocation, keyPath: keyPath)
        }
        let raw = entries.first { $0.key == "foreach" }!.value
        var interpolator = Interpolator(context: context)
        let data = try interpolator.resolve(raw, keyPath: "\(keyPath).foreach")
        var iterations: [(key: String, bindings: [(String, ParamValue)])] = []
        switch data.kind {
        case let .map(pairs):
            iterations = pairs.map { ($0.key, [("item", $0.value.value), ("key", .string($0.key))]) }
        case let .list(items):
            let composite = items.contains { if case .scalar = $0.kind { false } else { true } }
            iterations = items.enumerated().map { i, item in
                (composite ? String(i) : (item.value.interpolationText ?? String(i)), [("item", item.value)])
            }
        case let .scalar(v):
            throw PipeError(.invalidValue, "'foreach' of stage '\(name)' must be a list or a mapping, not \(v.kindName)",
                            fix: "give a list, a mapping, or '${name}' of a list or mapping in params/vars",
                            location: raw.location, keyPath: "\(keyPath).foreach")
        }
        var stages: [Stage] = []
        for iteration in iterations {
            let generated = "\(name)@\(iteration.key)"
            do {
                stages.append(try build(name: generated, template: template, context: context.binding(iteration.bindings),
                                        keyPath: "\(keyPath).do", location: nameLocation, params: &params))
            } catch var error as PipeError {
                error.message += " (in generated stage '\(generated)')"
                throw error
            }
        }
        return stages
    }

    private func expandMatrix(name: String, nameLocation: SourceLocation, entries: [SourceEntry],
                              context: TemplateContext, params: inout ParamsLoader) throws -> [Stage] {
        let keyPath = "stages.\(name)"
        let raw = entries.first { $0.key == "matrix" }!.value
        let template = SourceNode(.map(entries.filter { $0.key != "matrix" }), location: raw.location)
        var interpolator = Interpolator(context: context)
        let matrix = try interpolator.resolve(raw, keyPath: "\(keyPath).matrix")
        guard let axes = matrix.entries, !axes.isEmpty else {
            throw PipeError(.invalidValue, "'matrix' of stage '\(name)' must be a non-empty mapping of axis names to lists",
                            fix: "write e.g. 'matrix: {model: [cnn, xgb], seed: [1, 2]}'", location: raw.location,
                            keyPath: "\(keyPath).matrix")
        }
        var cells: [(fragments: [String], item: [(String, ParamValue)])] = [([], [])]
        for axis in axes {
            guard let values = axis.value.items, !values.isEmpty else {
                throw PipeError(.invalidValue, "matrix axis '\(axis.key)' of stage '\(name)' must be a non-empty list, not \(axis.value.typeName)",
                                fix: "list the values to combine", location: axis.value.location,
                                keyPath: "\(keyPath).matrix.\(axis.key)")
            }
            var next: [(fragments: [String], item: [(String, ParamValue)])] = []
            next.reserveCapacity(cells.count * values.count)
            for cell in cells {
                for (i, value) in values.enumerated() {
                    let fragment: String
                    if case .scalar = value.kind, let text = value.value.interpolationText {
                        fragment = text
                    } else {
                        fragment = "\(axis.key)\(i)"
                    }
                    next.append((cell.fragments + [fragment], cell.item + [(axis.key, value.value)]))
                }
            }
            cells = next
        }
        var stages: [Stage] = []
        for cell in cells {
            let key = cell.fragments.joined(separator: "-")
            let generated = "\(name)@\(key)"
            do {
                stages.append(try build(name: generated, template: template,
                                        context: context.binding([("item", .dict(cell.item)), ("key", .string(key))]),
                                        keyPath: keyPath, location: nameLocation, params: &params))
            } catch var error as PipeError {
                error.message += " (in generated stage '\(generated)')"
                throw error
            }
        }
        return stages
    }

    /// Applies stage `vars`, interpolates the template and parses it into a `Stage`.
    private func build(name: String, template: SourceNode, context: TemplateContext, keyPath: String,
                       location: SourceLocation, params: inout ParamsLoader) throws -> Stage {
        guard let entries = template.entries else {
            throw PipeError(.invalidValue, "stage '\(name)' must be a mapping of fields, not \(template.typeName)",
                            fix: "write the stage's 'cmd', 'deps', 'outs', … as 'key: value' lines",
                            location: template.location, keyPath: keyPath)
        }
        var local = context
        if let varsNode = entries.first(where: { $0.key == "vars" })?.value {
            var base = parser.pipelineDirectory
            if let wdirNode = entries.first(where: { $0.key == "wdir" })?.value, let raw = wdirNode.string {
                var interpolator = Interpolator(context: context)
                let text = try interpolator.resolveText(raw, location: wdirNode.location, keyPath: "\(keyPath).wdir")
                base = try RepoPath.resolve(text, in: base, location: wdirNode.location, keyPath: "\(keyPath).wdir")
            }
            try vars.merge(vars: varsNode, base: base, into: &local, keyPath: "\(keyPath).vars")
        }
        // `meta` is free-form and ignored, `vars` was applied above: neither is interpolated.
        let body = SourceNode(.map(entries.filter { $0.key != "vars" && $0.key != "meta" }), location: template.location)
        var interpolator = Interpolator(context: local)
        let resolved = try interpolator.resolve(body, keyPath: keyPath)
        return try parser.parse(name: name, node: resolved, keyPath: keyPath, location: location, params: &params,
                                interpolated: interpolator.usedParams)
    }
}
