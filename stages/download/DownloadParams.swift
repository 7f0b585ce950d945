import StageKit
import TriageData

/// params.yaml `download`: where raw sources land and the list of sources to materialise.
struct DownloadParams: StageParameters {
    static let section = "download"

    /// The output directory; each source gets a sub-directory named after it.
    var out = "data/raw"
    /// Seconds before an http(s) request fails.
    var timeout = 30.0
    var sources: [DownloadSource] = [DownloadSource(name: "synthetic", kind: .synthetic(SyntheticSource()))]

    init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case out, timeout, sources }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = DownloadParams()
        out = try c.value(forKey: .out, default: d.out)
        timeout = try c.value(forKey: .timeout, default: d.timeout)
        sources = try c.value(forKey: .sources, default: d.sources)
        guard timeout > 0 else { throw invalidParam(decoder, "timeout", "must be > 0 seconds, got \(timeout)") }
        var seen: Set<String> = []
        for source in sources where !seen.insert(source.name).inserted {
            throw invalidParam(decoder, "sources", "names '\(source.name)' twice; source names must be unique")
        }
    }
}

/// The synthetic generator's settings.
struct SyntheticSource: Decodable, Equatable {
    var n = 12_000
    var seed: UInt64 = 7
    var frenchShare = 0.45
    /// `CorpusSpec.surfaceVariety` (docs/corpus.md §1.1); off by default.
    var surfaceVariety = false
    /// `CorpusSpec.extendedCatalog` (docs/corpus.md §1.1); off by default.
    var extendedCatalog = false

    init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case n, seed, frenchShare = "french_share", surfaceVariety = "surface_variety", extendedCatalog = "extended_catalog"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SyntheticSource()
        n = try c.value(forKey: .n, default: d.n)
        seed = try c.value(forKey: .seed, default: d.seed)
        frenchShare = try c.value(forKey: .frenchShare, default: d.frenchShare)
        surfaceVariety = try c.value(forKey: .surfaceVariety, default: d.surfaceVariety)
        extendedCatalog = try c.value(forKey: .extendedCatalog, default: d.extendedCatalog)
        guard n > 0 else { throw invalidParam(decoder, "n", "must be > 0, got \(n)") }
        guard (0...1).contains(frenchShare) else {
            throw invalidParam(decoder, "french_share", "must be within 0…1, got \(frenchShare)")
        }
    }
}

/// One source: exactly one of `synthetic`, `url` or `local`, with an optional expected checksum.
struct DownloadSource: Decodable, Equatable {
    enum Kind: Equatable {
        case synthetic(SyntheticSource)
        case url(String)
        case local(String)
    }

    var name: String
    var kind: Kind
    /// `algorithm:hex`; required for `url` sources, optional for `local`.
    var checksum: Checksum?
    /// The file name to store a fetched file under (default: the URL's or path's last component).
    var file: String?

    init(name: String, kind: Kind, checksum: Checksum? = nil, file: String? = nil) {
        self.name = name
        self.kind = kind
        self.checksum = checksum
        self.file = file
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, synthetic, url, local, checksum, file }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            throw invalidParam(decoder, "name", "'\(name)' must be a plain directory name")
        }
        let synthetic = try c.decodeIfPresent(SyntheticSource.self, forKey: .synthetic)
        let url = try c.decodeIfPresent(String.self, forKey: .url)
        let local = try c.decodeIfPresent(String.self, forKey: .local)
        let given = [synthetic != nil, url != nil, local != nil].filter { $0 }.count
        guard given == 1 else {
            throw invalidParam(decoder, "name", "'\(name)' must set exactly one of synthetic, url, local (it sets \(given))")
        }
        if let synthetic { kind = .synthetic(synthetic) } else if let url { kind = .url(url) } else { kind = .local(local!) }
        file = try c.decodeIfPresent(String.self, forKey: .file)
        if let text = try c.decodeIfPresent(String.self, forKey: .checksum) {
            switch Checksum.parse(text) {
            case let .success(value): checksum = value
            case let .failure(error): throw invalidParam(decoder, "checksum", "of source '\(name)': \(error.message)")
            }
        } else {
            checksum = nil
        }
        if case .url = kind, checksum == nil {
            throw invalidParam(decoder, "checksum", "is required for url source '\(name)' (sha256:… or xxh3:…)")
        }
    }
}
