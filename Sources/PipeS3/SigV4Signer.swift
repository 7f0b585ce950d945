import Foundation
import PipeBasics

/// AWS Signature Version 4, header-signed (the `Authorization` header), as S3 specifies it: the request's
/// canonical form is hashed, a key derived from the secret by date/region/service signs it.
///
/// The signer never sees the network: it maps (method, encoded path, query, headers, payload hash, time) to the
/// headers to add, so AWS's published examples pin it exactly (Tests/PipeS3Tests/SigV4SignerTests.swift).
public struct SigV4Signer: Sendable {
    /// The hash S3 is told to skip checking (streamed bodies); the body is then covered by TLS or not at all.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// SHA-256 of the empty body.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// Who signs.
    public let credentials: S3Credentials
    /// The region in the credential scope (`us-east-1` for most S3-compatible servers).
    public let region: String
    /// The service in the credential scope: `s3`.
    public let service: String

    /// The last derived key and its day: the four-HMAC derivation is done once a day, not once a request.
    private let keyCache = SigningKeyCache()

    /// A signer for one identity, region and service.
    public init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// What a signature was computed from; tests compare the intermediate strings with AWS's examples.
    public struct Signature: Sendable {
        /// The canonical request (method, path, query, headers, signed header names, payload hash).
        public let canonicalRequest: String
        /// The string to sign (algorithm, time, scope, hash of the canonical request).
        public let stringToSign: String
        /// The hex signature.
        public let signature: String
        /// The `Authorization` header value.
        public let authorization: String
        /// Every header the request must carry, the signed ones and `authorization`, names lowercase.
        public let headers: [(name: String, value: String)]
    }

    /// Signs a request. `path` is already URI-encoded (see `S3URIEncoding`), `query` holds raw names and values,
    /// `headers` must include `host`; `x-amz-date`, the session token and (S3 requires it; other services do not)
    /// `x-amz-content-sha256` are added here.
    public func sign(method: String, encodedPath: String, query: [(String, String)],
                     headers: [(String, String)], payloadHash: String, date: Date,
                     contentHashHeader: Bool = true) -> Signature {
        let (amzDate, day) = Self.timestamps(date)
        var all: [(String, String)] = headers.map { ($0.0.lowercased(), Self.trimmedHeaderValue($0.1)) }
        all.append(("x-amz-date", amzDate))
        if contentHashHeader { all.append(("x-amz-content-sha256", payloadHash)) }
        if let token = credentials.sessionToken { all.append(("x-amz-security-token", token)) }
        // Headers given twice are joined with commas, as the specification says; sorted by name.
        var merged: [String: String] = [:]
        for (name, value) in all { merged[name] = merged[name].map { "\($0),\(value)" } ?? value }
        let names = merged.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(merged[$0]!)\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let canonicalRequest = [method, encodedPath, Self.canonicalQuery(query), canonicalHeaders, signedHeaders,
                                payloadHash].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, Self.sha256Hex(Array(canonicalRequest.utf8))]
            .joined(separator: "\n")
        let signature = self.signature(of: stringToSign, day: day)
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signature(canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
                         authorization: authorization,
                         headers: names.map { ($0, merged[$0]!) } + [("authorization", authorization)])
    }

    /// The hex HMAC of a string to sign under the key derived for `day` (`yyyymmdd`).
    func signature(of stringToSign: String, day: String) -> String {
        Self.hex(Self.hmac(key: signingKey(day: day), Array(stringToSign.utf8)))
    }

    /// The derived key: HMAC chain over date, region, service and the literal `aws4_request`.
    private func signingKey(day: String) -> [UInt8] {
        if let key = keyCache.key(for: day) { return key }
        var key = Self.hmac(key: Array("AWS4\(credentials.secretAccessKey)".utf8), Array(day.utf8))
        for part in [region, service, "aws4_request"] { key = Self.hmac(key: key, Array(part.utf8)) }
        keyCache.store(key, for: day)
        return key
    }

    /// The query in canonical form: each name and value URI-encoded (slash too), pairs sorted by name then value.
    public static func canonicalQuery(_ query: [(String, String)]) -> String {
        let encoded: [(name: String, value: String)] = query.map { pair in
            (S3URIEncoding.encode(pair.0, keepSlash: false), S3URIEncoding.encode(pair.1, keepSlash: false))
        }
        let sorted = encoded.sorted { left, right in
            left.name == right.name ? left.value < right.value : left.name < right.name
        }
        return sorted.map { pair in pair.name + "=" + pair.value }.joined(separator: "&")
    }

    /// A header value trimmed at both ends with inner runs of spaces collapsed to one.
    static func trimmedHeaderValue(_ value: String) -> String {
        let utf8 = value.utf8
        let clean = utf8.first.map { $0 != 0x20 && $0 != 0x09 } ?? true
            && utf8.last.map { $0 != 0x20 && $0 != 0x09 } ?? true
            && utf8.allSatisfy { $0 < 0x80 && $0 != 0x09 } && !zip(utf8, utf8.dropFirst()).contains { $0 == 0x20 && $1 == 0x20 }
        if clean { return value }      // the usual case: nothing to trim or collapse
        var out = ""
        var lastWasSpace = false
        for character in value.trimmingCharacters(in: .whitespaces) {
            if character == " " || character == "\t" {
                if !lastWasSpace { out.append(" ") }
                lastWasSpace = true
            } else {
                out.append(character)
                lastWasSpace = false
            }
        }
        return out
    }

    /// `20130524T000000Z` and `20130524` for a moment, in UTC.
    static func timestamps(_ date: Date) -> (amzDate: String, day: String) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let day = digits(parts.tm_year + 1900, 4) + digits(parts.tm_mon + 1, 2) + digits(parts.tm_mday, 2)
        return (day + "T" + digits(parts.tm_hour, 2) + digits(parts.tm_min, 2) + digits(parts.tm_sec, 2) + "Z", day)
    }

    /// Lowercase hex of SHA-256 of some bytes (a payload hash).
    public static func sha256Hex(_ bytes: [UInt8]) -> String { hex(MessageDigest.hash(.sha256, bytes)) }

    static func hmac(key: [UInt8], _ message: [UInt8]) -> [UInt8] { MessageDigest.hmacSHA256(key: key, message) }

    static func hex(_ bytes: [UInt8]) -> String { MessageDigest.hex(bytes) }
}

/// The signing key of the most recent day, shared by the copies of one signer (requests sign concurrently).
private final class SigningKeyCache: @unchecked Sendable {
    private let lock = NSLock()
    private var day = ""
    private var key: [UInt8] = []

    func key(for day: String) -> [UInt8]? {
        lock.withLock { self.day == day ? key : nil }
    }

    func store(_ key: [UInt8], for day: String) {
        lock.withLock {
            self.day = day
            self.key = key
        }
    }
}
