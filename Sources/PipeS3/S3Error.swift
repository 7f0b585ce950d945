import PipeHTTP

/// What the S3 layer reports: the server's own error (code, message, request id), missing or malformed
/// credentials, a bad endpoint, a transport failure, or a response it could not read. Every message is one line
/// saying what is wrong and what to do, and never contains a secret, a session token or a signature.
public enum S3Error: Error, CustomStringConvertible {
    /// The server answered with an error (an XML `<Error>` body, or a bare status for HEAD requests).
    case service(S3ServiceError)
    /// No credentials anywhere; `tried` lists the places in the order looked at.
    case noCredentials(tried: [String])
    /// The profile exists but lacks `aws_access_key_id` or `aws_secret_access_key`.
    case incompleteProfile(profile: String, path: String)
    /// A line of the credentials file is neither a section, a `key = value` pair nor a comment.
    case malformedCredentialsFile(path: String, line: Int)
    /// `endpoint_url` is not an `http(s)://host[:port]` URL.
    case invalidEndpoint(String)
    /// The request did not get an answer (unreachable, timed out, connection lost, local file trouble).
    case transport(HTTPError)
    /// A 2xx answer whose body could not be read as the operation's XML.
    case malformedResponse(operation: String, reason: String)
    /// A multipart upload failed and was aborted; `cause` is the first failure.
    case multipartAborted(key: String, uploadID: String, cause: String)

    /// A stable code tests can match: the server's code (`NoSuchBucket`, `SignatureDoesNotMatch`) or ours.
    public var code: String {
        switch self {
        case .service(let error): error.code
        case .noCredentials: "NoCredentials"
        case .incompleteProfile: "IncompleteProfile"
        case .malformedCredentialsFile: "MalformedCredentialsFile"
        case .invalidEndpoint: "InvalidEndpoint"
        case .transport(let error): "Transport:\(error.code)"
        case .malformedResponse: "MalformedResponse"
        case .multipartAborted: "MultipartAborted"
        }
    }

    /// Whether the fault is in the configuration (exit 2: credentials, endpoint, bucket) rather than a transfer.
    public var isConfigurationError: Bool {
        switch self {
        case .noCredentials, .incompleteProfile, .malformedCredentialsFile, .invalidEndpoint: true
        case .service(let error): S3ServiceError.configurationCodes.contains(error.code)
        case .transport(let error): error.code == "unreachable"
        case .malformedResponse, .multipartAborted: false
        }
    }

    public var description: String {
        switch self {
        case .service(let error):
            error.description
        case .noCredentials(let tried):
            "no S3 credentials found (looked at: \(tried.joined(separator: ", "))); set AWS_ACCESS_KEY_ID and "
                + "AWS_SECRET_ACCESS_KEY, or add a profile to the credentials file"
        case .incompleteProfile(let profile, let path):
            "\(path): profile [\(profile)] lacks aws_access_key_id or aws_secret_access_key; add both"
        case .malformedCredentialsFile(let path, let line):
            "\(path):\(line): not a [section], key = value line or comment; fix or remove the line"
        case .invalidEndpoint(let url):
            "endpoint_url '\(url)' is not an http(s)://host[:port] URL; fix the remote's endpoint_url"
        case .transport(let error):
            error.description
        case .malformedResponse(let operation, let reason):
            "\(operation): unreadable response (\(reason)); the server may not be S3-compatible"
        case .multipartAborted(let key, let uploadID, let cause):
            "multipart upload of \(key) failed and was aborted (upload \(uploadID)): \(cause)"
        }
    }
}

/// An error answered by the S3 server: its code and message, the request id to quote to the operator, the
/// HTTP status, and which operation on which bucket/key it was.
public struct S3ServiceError: Sendable, Equatable, CustomStringConvertible {
    /// S3's code (`NoSuchBucket`, `SignatureDoesNotMatch`, `InvalidAccessKeyId`, …) or `HTTP<status>`.
    public let code: String
    /// The server's message (may be empty).
    public let message: String
    /// `x-amz-request-id` or the body's `<RequestId>`, when given.
    public let requestID: String?
    /// The HTTP status.
    public let status: Int
    /// The operation, e.g. `PutObject`.
    public let operation: String
    /// `bucket` or `bucket/key`.
    public let resource: String

    /// A service error from its parts.
    public init(code: String, message: String, requestID: String?, status: Int, operation: String, resource: String) {
        self.code = code
        self.message = message
        self.requestID = requestID
        self.status = status
        self.operation = operation
        self.resource = resource
    }

    /// Codes that mean the remote's configuration is wrong, not that a transfer failed.
    static let configurationCodes: Set<String> = ["SignatureDoesNotMatch", "InvalidAccessKeyId", "NoSuchBucket",
                                                  "AccessDenied", "InvalidBucketName", "AuthorizationHeaderMalformed",
                                                  "PermanentRedirect", "InvalidToken", "ExpiredToken"]

    /// What to do about the code, when there is a known remedy.
    var advice: String? {
        switch code {
        case "SignatureDoesNotMatch":
            "the secret access key does not match the access key ID; check AWS_SECRET_ACCESS_KEY or the profile's "
                + "aws_secret_access_key"
        case "InvalidAccessKeyId":
            "the server does not know this access key ID; check AWS_ACCESS_KEY_ID or the profile"
        case "NoSuchBucket":
            "bucket does not exist at this endpoint; create it or fix the remote's URL"
        case "AccessDenied":
            "these credentials may not do this; check the identity's permissions"
        case "NoSuchKey":
            "the object is not on the remote; push it first"
        case "ExpiredToken", "InvalidToken":
            "the session token is expired or invalid; refresh AWS_SESSION_TOKEN"
        case "RequestTimeTooSkewed":
            "this machine's clock differs too much from the server's; fix the clock"
        case "PreconditionFailed":
            "the object already exists or changed meanwhile"
        case "SlowDown", "ServiceUnavailable", "InternalError":
            "the server is overloaded or failing; retry later or lower -j"
        case "AuthorizationHeaderMalformed", "PermanentRedirect":
            "the region is wrong for this bucket; set the remote's region"
        default:
            nil
        }
    }

    public var description: String {
        var text = "\(operation) \(resource): \(code)"
        if !message.isEmpty { text += " (\(message))" }
        if let advice { text += "; \(advice)" }
        if let requestID { text += " [request \(requestID)]" }
        return text
    }
}
