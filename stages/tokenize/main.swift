// tokenize: trains (or loads) a byte-level BPE, writes tokenizer.json and the records as binary token shards.
// `tokenize encode [--tokenizer FILE]` turns text lines on stdin into JSON id arrays on stdout.
import StageKit

StageMain.run(name: "tokenize") { context in
    if context.arguments.first == "encode" {
        try EncodeCommand.run(context, arguments: Array(context.arguments.dropFirst()))
    } else if let first = context.arguments.first {
        throw StageError(.usage, "unknown subcommand '\(first)'", fix: "run `tokenize` as a stage, or `tokenize encode [--tokenizer FILE]`")
    } else {
        try TokenizeStage.run(context)
    }
}
