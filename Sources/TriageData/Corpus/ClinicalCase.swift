/// The structured facts behind one generated patient description, before any wording: what the triage rules
/// read to derive the label, so the label follows from what the text states.
public struct ClinicalCase: Sendable, Equatable {
    /// Biological sex as the description states it.
    public enum Sex: Sendable, Equatable { case male, female }

    public var age: Int
    public var sex: Sex
    /// Which complaint of `ComplaintCatalog.extended` (which starts with `all`) and which of its presentations.
    public var complaintIndex: Int
    public var presentationIndex: Int
    /// Hours since onset (fractions for minutes).
    public var onsetHours: Double
    public var vitals: Vitals
    /// Self-reported pain 0–10, when stated.
    public var pain: Int?
    /// Indices into the history bank.
    public var history: [Int]

    /// The complaint presentation this case shows.
    public var presentation: Presentation {
        ComplaintCatalog.extended[complaintIndex].presentations[presentationIndex]
    }
}

/// Vital signs as stated in a description; temperature in °C whatever unit the text uses.
public struct Vitals: Sendable, Equatable {
    public var heartRate: Int
    public var systolic: Int
    public var diastolic: Int
    public var respiratoryRate: Int
    public var spo2: Int
    public var temperature: Double

    public init(heartRate: Int, systolic: Int, diastolic: Int, respiratoryRate: Int, spo2: Int, temperature: Double) {
        self.heartRate = heartRate
        self.systolic = systolic
        self.diastolic = diastolic
        self.respiratoryRate = respiratoryRate
        self.spo2 = spo2
        self.temperature = temperature
    }
}

/// One way a complaint presents, with the urgency that presentation carries on its own.
public struct Presentation: Sendable, Equatable {
    /// The urgency of the presentation alone (vitals, pain and age may raise it).
    public var tier: TriageLabel
    /// Noun phrases in English ("crushing chest pain radiating to the left arm").
    public var english: [String]
    /// Noun phrases in French, written for French, not translated word for word.
    public var french: [String]
    /// The clinical cue the rationale names.
    public var cue: String
    /// Onset range in hours typical of the presentation.
    public var onset: ClosedRange<Double>
}

/// A chief complaint and its presentations.
public struct Complaint: Sendable, Equatable {
    public var name: String
    public var presentations: [Presentation]
}
