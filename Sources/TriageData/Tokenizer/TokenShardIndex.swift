import Foundation

/// The tokenize stage's output directory read back: `index.json`, its shards and its tokenizer, for consumers
/// such as a pretraining stage that wants every record's ids.
public struct TokenShardIndex: Sendable {
    /// One shard file listed in `index.json`.
    public struct Entry: Decodable, Sendable, Equatable {
        /// The file name, relative to the directory.
        public var file: String
        /// Records in the shard.
        public var records: Int
        /// Tokens in the shard.
        public var tokens: Int
    }

    private struct Manifest: Decodable {
        var format: String
        var version: Int
        var dtype: String
        var tokenizer: String
        var vocab_size: Int
        var records: Int
        var tokens: Int
        var shards: [Entry]
    }

    /// The directory holding index.json.
    public let directory: URL
    /// The shards in order.
    public let shards: [Entry]
    /// Total records and tokens.
    public let records: Int, tokens: Int
    /// The vocabulary size the ids were produced with.
    public let vocabularySize: Int
    /// The tokenizer.json beside the shards.
    public let tokenizerURL: URL

    /// Reads `directory/index.json`; throws `TokenShardError` naming the file when it is missing, of another
    /// format or version, or inconsistent with its shard list.
    public init(directory: URL) throws {
        let url = directory.appendingPathComponent("index.json")
        let manifest: Manifest
        do { manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: url)) } catch {
            throw TokenShardError(path: url.path, reason: "not a readable token shard index (\(error)); run the tokenize stage")
        }
        guard manifest.format == "pipe-token-shards", manifest.version == Int(TokenShard.version), manifest.dtype == "uint32-le" else {
            throw TokenShardError(path: url.path, reason: "format \(manifest.format) v\(manifest.version) \(manifest.dtype), "
                                  + "expected pipe-token-shards v\(TokenShard.version) uint32-le")
        }
        guard manifest.shards.reduce(0, { $0 + $1.records }) == manifest.records,
              manifest.shards.reduce(0, { $0 + $1.tokens }) == manifest.tokens else {
            throw TokenShardError(path: url.path, reason: "the shard list does not add up to \(manifest.records) records and \(manifest.tokens) tokens")
        }
        self.directory = directory
        shards = manifest.shards
        records = manifest.records
        tokens = manifest.tokens
        vocabularySize = manifest.vocab_size
        tokenizerURL = directory.appendingPathComponent(manifest.tokenizer)
    }

    /// Reads shard `index`, checking it holds what the index says.
    public func shard(_ index: Int) throws -> TokenShard {
        let entry = shards[index]
        let url = directory.appendingPathComponent(entry.file)
        let shard = try TokenShard(contentsOf: url)
        guard shard.count == entry.records, shard.tokenCount == entry.tokens else {
            throw TokenShardError(path: url.path, reason: "holds \(shard.count) records and \(shard.tokenCount) tokens, "
                                  + "index.json says \(entry.records) and \(entry.tokens); rerun the tokenize stage")
        }
        return shard
    }

    /// Calls `body` with each record's ids, in record order, one shard in memory at a time.
    public func forEachRecord(_ body: (ArraySlice<UInt32>) throws -> Void) throws {
        for i in shards.indices {
            let shard = try shard(i)
            for row in 0..<shard.count { try body(shard[row]) }
        }
    }
}
