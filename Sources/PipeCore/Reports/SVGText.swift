import Foundation

/// Deterministic SVG building blocks: numbers always printed the same way, text escaped for XML.
enum SVGText {
    /// A coordinate with at most two decimals, trailing zeros dropped (`12`, `12.5`, `12.25`).
    static func number(_ value: Double) -> String {
        var s = String(format: "%.2f", value)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    /// `text` with `&`, `<`, `>`, `"` and `'` escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// `text` cut to `limit` characters with an ellipsis.
    static func truncate(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// A `<text>` element.
    static func text(_ content: String, x: Double, y: Double, anchor: String = "middle", size: Int = 12,
                     weight: String? = nil, fill: String = "#333", transform: String? = nil) -> String {
        var attributes = "x=\"\(number(x))\" y=\"\(number(y))\" text-anchor=\"\(anchor)\" font-size=\"\(size)\" fill=\"\(fill)\""
        if let weight { attributes += " font-weight=\"\(weight)\"" }
        if let transform { attributes += " transform=\"\(transform)\"" }
        return "<text \(attributes)>\(escape(content))</text>"
    }

    /// Ten distinguishable series colours (Tableau 10), reused in order.
    static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                          "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]

    /// A stroke-dasharray attribute distinguishing series that reuse a palette colour (none for the first ten).
    static func dash(forSeries index: Int) -> String {
        switch index / palette.count {
        case 0: ""
        case 1: " stroke-dasharray=\"6 3\""
        default: " stroke-dasharray=\"2 3\""
        }
    }

    /// The opening tag every plot starts with: fixed size, a font stack and a white background.
    static func open(width: Double, height: Double) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(number(width))\" height=\"\(number(height))\" " +
            "viewBox=\"0 0 \(number(width)) \(number(height))\" font-family=\"Helvetica, Arial, sans-serif\">\n" +
            "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
    }
}
