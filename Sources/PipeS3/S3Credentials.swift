/// An AWS identity: access key ID, secret access key and (for temporary credentials) a session token.
///
/// Its description shows the access key ID and where it came from, never the secret or the token, so it can be
/// printed or logged and can sit inside an error.
public struct S3Credentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The public half of the key pair (`AKIA…`).
    public let accessKeyID: String
    /// The secret half; never printed.
    public let secretAccessKey: String
    /// The session token of temporary credentials, sent as `x-amz-security-token`; never printed.
    public let sessionToken: String?
    /// Where these were found (`environment`, `profile default in ~/.aws/credentials`, `config`), for messages.
    public let source: String

    /// Credentials from known values.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, source: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken.flatMap { $0.isEmpty ? nil : $0 }
        self.source = source
    }

    public var description: String { "access key \(accessKeyID) (from \(source))" }
    public var debugDescription: String { description }
}
