import Foundation

/// The chat-style prompt format shared by SFT, DPO and evaluation, so training and scoring agree.
///
/// The prompt uses Qwen's ChatML turns (`<|im_start|>role … <|im_end|>`): a system turn in the record's language
/// stating the task, the patient description as the user turn, and an open assistant turn. The completion is the
/// label word in English (`immediate`, `medium`, `delayed`, the same in both languages so scoring is exact)
/// followed by `<|im_end|>` so the model learns to stop.
public enum TriagePrompt {
    /// Opens a ChatML turn.
    public static let turnStart = "<|im_start|>"
    /// Closes a ChatML turn; also the end of every completion.
    public static let turnEnd = "<|im_end|>"
    /// Separates documents in pretraining and pads batches (Qwen's `<|endoftext|>`).
    public static let padding = "<|endoftext|>"

    /// The system instruction in `lang`.
    public static func instruction(_ lang: RecordLanguage) -> String {
        nurse(lang) + (lang == .en ? "answer with one word for the urgency: immediate, medium or delayed."
                                   : "répondez par un seul mot pour l'urgence : immediate, medium ou delayed.")
    }

    /// The full prompt for a description, ending with the open assistant turn.
    public static func prompt(text: String, lang: RecordLanguage) -> String {
        chat(system: instruction(lang), user: text)
    }

    /// The system instruction of the findings task in `lang`: name the clinical findings that set the urgency.
    ///
    /// Why a second task: trained alongside the label (`TrainingSetBuilder`, "distilling step-by-step", Hsieh et
    /// al. 2023), writing the findings makes the model look at the values that decide a case (a pain score, a
    /// saturation) rather than at the complaint alone. Evaluation only ever asks for the label.
    public static func findingsInstruction(_ lang: RecordLanguage) -> String {
        nurse(lang) + (lang == .en ? "list the clinical findings that set its urgency."
                                   : "listez les constatations cliniques qui fixent l'urgence.")
    }

    /// The role and reading both instructions open with, up to the task.
    private static func nurse(_ lang: RecordLanguage) -> String {
        switch lang {
        case .en: "You are an emergency department triage nurse. Read the patient description and "
        case .fr: "Vous êtes infirmier d'accueil et d'orientation aux urgences. Lisez la description du patient et "
        }
    }

    /// The findings-task prompt for a description, ending with the open assistant turn.
    public static func findingsPrompt(text: String, lang: RecordLanguage) -> String {
        chat(system: findingsInstruction(lang), user: text)
    }

    /// Whether `prompt` asks for the findings rather than the label.
    public static func isFindingsPrompt(_ prompt: String) -> Bool {
        RecordLanguage.allCases.contains { prompt.hasPrefix("\(turnStart)system\n\(findingsInstruction($0))\(turnEnd)") }
    }

    /// The findings-task completion: the findings then `<|im_end|>`.
    public static func findingsCompletion(_ findings: String) -> String {
        findings + turnEnd
    }

    /// A system turn, a user turn and the open assistant turn.
    private static func chat(system: String, user: String) -> String {
        "\(turnStart)system\n\(system)\(turnEnd)\n\(turnStart)user\n\(user)\(turnEnd)\n\(turnStart)assistant\n"
    }

    /// The completion teaching `label`: the label word then `<|im_end|>`.
    public static func completion(_ label: TriageLabel) -> String {
        label.rawValue + turnEnd
    }

    /// The label a generated answer names: its first word, case-insensitive, ignoring `<|im_end|>` and punctuation;
    /// nil when it names none.
    public static func parseAnswer(_ answer: String) -> TriageLabel? {
        let cleaned = answer.replacingOccurrences(of: turnEnd, with: " ").lowercased()
        let word = cleaned.split(whereSeparator: { !$0.isLetter }).first.map(String.init) ?? ""
        return TriageLabel(rawValue: word)
    }
}
