import Foundation
import PipeBasics

/// The tokenize stage's work, independent of how the stage is launched: get a tokenizer (train one on the
/// records, or load a given `tokenizer.json`), encode every record's text, and lay the result out as a directory:
///
/// ```
/// tokenizer.json        the tokenizer used (trained or copied), Hugging Face format
/// shard-00000.bin …     TokenShard files, records in input order, a new shard once `shardTokens` is reached
/// records.jsonl         one line per record: id, lang, label, shard, row, tokens
/// index.json            format, version, dtype, vocab size, totals and the shard list
/// ```
public struct CorpusTokenization: Sendable {
    /// Where the tokenizer comes from.
    public enum Source: Sendable, Equatable {
        /// Train a byte-level BPE on the records' texts.
        case train(vocabularySize: Int, specialTokens: [String], minimumFrequency: Int)
        /// Load this tokenizer.json (e.g. Qwen3's) and use it as is.
        case load(URL)
    }

    /// What the run produced, for the stage's metrics file.
    public struct Report: Sendable, Equatable {
        /// Whether the tokenizer was trained here (false: loaded).
        public var trained: Bool
        /// Ids in the tokenizer, added tokens included.
        public var vocabularySize: Int
        /// Merges in the BPE model.
        public var merges: Int
        /// Records encoded.
        public var records: Int
        /// Tokens written across all shards.
        public var tokens: Int
        /// UTF-8 bytes of the records' texts.
        public var textBytes: Int
        /// Shard files written.
        public var shards: Int

        /// The report as an ordered JSON object.
        public var jsonLine: JSONLineValue {
            .object([
                ("trained", .bool(trained)), ("vocab_size", .int(vocabularySize)), ("merges", .int(merges)),
                ("records", .int(records)), ("tokens", .int(tokens)), ("text_bytes", .int(textBytes)),
                ("bytes_per_token", .double(tokens > 0 ? (Double(textBytes) / Double(tokens) * 1000).rounded() / 1000 : 0)),
                ("shards", .int(shards)),
            ])
        }
    }

    /// Train or load.
    public var source: Source
    /// A shard is closed once it holds at least this many tokens.
    public var shardTokens: Int

    /// A run getting its tokenizer from `source` and closing shards at `shardTokens` tokens.
    public init(source: Source, shardTokens: Int = 1 << 22) {
        self.source = source
        self.shardTokens = max(1, shardTokens)
    }

    /// Builds the tokenizer, encodes `records` and writes everything into `directory` (which must exist).
    /// `progress` receives (done, total, message): merges of the training phase, then records encoded.
    public func run(records: [TriageRecord], into directory: URL,
                    progress: (Int, Int, String) -> Void = { _, _, _ in }) throws -> Report {
        let tokenizer: Tokenizer
        let trained: Bool
        switch source {
        case let .train(vocabularySize, specialTokens, minimumFrequency):
            tokenizer = try BytePairTrainer(vocabularySize: vocabularySize, specialTokens: specialTokens,
                                            minimumFrequency: minimumFrequency)
                .train(on: records.lazy.map(\.text)) { done, total in progress(done, total, "training a \(vocabularySize)-token BPE: merges") }
            trained = true
        case let .load(url):
            tokenizer = try Tokenizer(contentsOf: url)
            trained = false
        }
        try tokenizer.write(to: directory.appendingPathComponent("tokenizer.json"))

        let encoder = TokenEncoder(tokenizer)
        var shard = TokenShard()
        var shardFiles: [(file: String, records: Int, tokens: Int)] = []
        var index: [JSONLineValue] = []
        var tokens = 0, bytes = 0
        func closeShard() throws {
            let name = String(format: "shard-%05d.bin", shardFiles.count)
            try shard.write(to: directory.appendingPathComponent(name))
            shardFiles.append((name, shard.count, shard.tokenCount))
            shard = TokenShard()
        }
        var ids: [UInt32] = []
        for (n, record) in records.enumerated() {
            ids.removeAll(keepingCapacity: true)
            encoder.encode(record.text, appendingTo: &ids)
            index.append(.object([("id", .string(record.id)), ("lang", .string(record.lang.rawValue)),
                                  ("label", .string(record.label.rawValue)), ("shard", .int(shardFiles.count)),
                                  ("row", .int(shard.count)), ("tokens", .int(ids.count))]))
            shard.append(ids)
            tokens += ids.count
            bytes += record.text.utf8.count
            if shard.tokenCount >= shardTokens { try closeShard() }
            if n % 512 == 0 { progress(n, records.count, "encoding records") }
        }
        if shard.count > 0 || shardFiles.isEmpty { try closeShard() }
        progress(records.count, records.count, "encoded \(records.count) records into \(shardFiles.count) shard(s)")

        try AtomicFileWriter.write(JSONLinesWriter.encode(index.map(IndexLine.init)), to: directory.appendingPathComponent("records.jsonl").path)
        let manifest: JSONLineValue = .object([
            ("format", .string("pipe-token-shards")), ("version", .int(Int(TokenShard.version))),
            ("dtype", .string("uint32-le")), ("tokenizer", .string("tokenizer.json")),
            ("vocab_size", .int(tokenizer.vocabularySize)), ("records", .int(records.count)), ("tokens", .int(tokens)),
            ("shards", .array(shardFiles.map { .object([("file", .string($0.file)), ("records", .int($0.records)),
                                                        ("tokens", .int($0.tokens))]) })),
        ])
        try AtomicFileWriter.write(manifest.text(.jsonLines) + "\n", to: directory.appendingPathComponent("index.json").path)
        return Report(trained: trained, vocabularySize: tokenizer.vocabularySize, merges: tokenizer.model.merges.count,
                      records: records.count, tokens: tokens, textBytes: bytes, shards: shardFiles.count)
    }

    /// A pre-built JSON line, so `JSONLinesWriter.encode` can write the index.
    private struct IndexLine: JSONLineEncodable {
        var jsonLine: JSONLineValue
        init(_ value: JSONLineValue) { jsonLine = value }
    }
}
