import TriageData

/// Renders chat messages as the ChatML prompt the model was trained on: `<|im_start|>role\ncontent<|im_end|>\n` per
/// message, then the open assistant turn — the `chat_template` written beside the checkpoint
/// (`ChatCheckpointFiles.chatTemplate`), so `[system: instruction, user: note]` is exactly `TriagePrompt.prompt`.
enum ChatPrompt {
    /// The prompt text for `messages`, ending with `<|im_start|>assistant\n`.
    static func render(_ messages: [ChatCompletionRequest.Message]) -> String {
        messages.map { "\(TriagePrompt.turnStart)\($0.role)\n\($0.content)\(TriagePrompt.turnEnd)\n" }.joined()
            + "\(TriagePrompt.turnStart)assistant\n"
    }
}
