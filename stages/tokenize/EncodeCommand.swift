import Foundation
import StageKit
import TriageData

/// `tokenize encode [--tokenizer FILE]`: text lines on stdin → one JSON array of token ids per line on stdout,
/// for checking what the model sees. FILE defaults to the stage's own output, data/tokenized/tokenizer.json.
enum EncodeCommand {
    static func run(_ context: StageContext, arguments: [String]) throws {
        var path = "data/tokenized/tokenizer.json"
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--tokenizer":
                guard let value = rest.popFirst() else {
                    throw StageError(.usage, "--tokenizer needs a file", fix: "tokenize encode --tokenizer path/to/tokenizer.json")
                }
                path = value
            case "-h", "--help":
                print("usage: tokenize encode [--tokenizer FILE]   (text lines on stdin, JSON id arrays on stdout)")
                return
            default:
                throw StageError(.usage, "unknown argument '\(argument)' for tokenize encode",
                                 fix: "tokenize encode [--tokenizer FILE] < lines.txt")
            }
        }
        let tokenizer: Tokenizer
        do { tokenizer = try Tokenizer(contentsOf: context.resolve(path)) } catch let error as TokenizerError {
            throw StageError(.badInput, error.description)
        }
        let encoder = TokenEncoder(tokenizer)
        var out = ""
        while let line = readLine(strippingNewline: true) {
            let ids = encoder.encode(line)
            out += "["
            for (i, id) in ids.enumerated() {
                if i > 0 { out += "," }
                out += String(id)
            }
            out += "]\n"
            if out.utf8.count >= 1 << 16 {
                FileHandle.standardOutput.write(Data(out.utf8))
                out = ""
            }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
