/// The stated clinical rules that give every generated case its urgency label (documented in docs/corpus.md).
///
/// The label is the most urgent of: the complaint presentation's own tier, the vital-sign bands, the pain score,
/// and the elderly-with-fever rule. Every input the rules read appears in the generated text.
public enum TriageRules {
    /// The label and a short English rationale naming the deciding rule(s).
    public static func assess(_ c: ClinicalCase) -> (label: TriageLabel, rationale: String) {
        var reasons: [(TriageLabel, String)] = [(c.presentation.tier, c.presentation.cue)]
        let v = c.vitals
        if v.spo2 < 90 { reasons.append((.immediate, "SpO2 \(v.spo2)% < 90%")) }
        else if v.spo2 <= 93 { reasons.append((.medium, "SpO2 \(v.spo2)% in 90–93%")) }
        if v.systolic < 90 { reasons.append((.immediate, "systolic BP \(v.systolic) < 90 mmHg")) }
        else if v.systolic < 100 { reasons.append((.medium, "systolic BP \(v.systolic) in 90–99 mmHg")) }
        else if v.systolic >= 200 { reasons.append((.medium, "systolic BP \(v.systolic) ≥ 200 mmHg")) }
        if v.heartRate >= 130 || v.heartRate < 40 { reasons.append((.immediate, "heart rate \(v.heartRate) outside 40–129")) }
        else if v.heartRate >= 110 { reasons.append((.medium, "heart rate \(v.heartRate) in 110–129")) }
        if v.respiratoryRate >= 30 || v.respiratoryRate < 8 {
            reasons.append((.immediate, "respiratory rate \(v.respiratoryRate) outside 8–29"))
        } else if v.respiratoryRate >= 22 { reasons.append((.medium, "respiratory rate \(v.respiratoryRate) in 22–29")) }
        if v.temperature >= 40.5 || v.temperature < 35.0 {
            reasons.append((.immediate, "temperature \(format(v.temperature)) °C outside 35.0–40.4"))
        } else if v.temperature >= 38.5 {
            reasons.append((.medium, "temperature \(format(v.temperature)) °C ≥ 38.5"))
        } else if v.temperature >= 38.0, c.age >= 75 {
            reasons.append((.medium, "fever \(format(v.temperature)) °C at age \(c.age) ≥ 75"))
        }
        if let pain = c.pain, pain >= 7 { reasons.append((.medium, "pain \(pain)/10 ≥ 7")) }
        let label = reasons.map(\.0).min()!
        let deciding = reasons.filter { $0.0 == label }.map(\.1)
        return (label, "\(label.rawValue): " + deciding.joined(separator: "; "))
    }

    static func format(_ t: Double) -> String {
        let tenths = Int((t * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
}
