import Foundation
import Triage

/// Reads the operating point evaluate calibrated for a model from `reports/evaluate.json`
/// (`{"merged": {"operating_point": {"immediate_bias": …}}, …}`), so the server decides exactly as evaluated.
public enum OperatingPointReport {
    private struct Entry: Decodable {
        struct Point: Decodable {
            var immediateBias: Double
            enum CodingKeys: String, CodingKey { case immediateBias = "immediate_bias" }
        }
        var operatingPoint: Point
        enum CodingKeys: String, CodingKey { case operatingPoint = "operating_point" }
    }

    /// The operating point of `key` in the report at `path`.
    public static func read(path: String, key: String) throws(StartupError) -> TriageOperatingPoint {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .missingFile(path, fix: "run `pipe repro evaluate`, or pass --immediate-bias")
        }
        let entries: [String: Entry]
        do { entries = try JSONDecoder().decode([String: Entry].self, from: data) } catch {
            throw StartupError(code: "serve.invalid-report",
                               "\(path) is not evaluate's metrics (no `operating_point.immediate_bias` per model); "
                                   + "re-run `pipe repro evaluate`, or pass --immediate-bias")
        }
        guard let entry = entries[key] else {
            throw StartupError(code: "serve.invalid-report",
                               "\(path) has no model `\(key)` (it has \(entries.keys.sorted().joined(separator: ", "))); "
                                   + "pass --evaluation-key or --immediate-bias")
        }
        let bias = entry.operatingPoint.immediateBias
        guard bias >= 0 && bias.isFinite else {
            throw StartupError(code: "serve.invalid-report", "\(path): `\(key).operating_point.immediate_bias` is \(bias); "
                                   + "it must be finite and non-negative")
        }
        return TriageOperatingPoint(immediateBias: bias)
    }
}
