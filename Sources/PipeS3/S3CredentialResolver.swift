import Foundation

/// Finds credentials the way AWS's own tools do, first match wins:
/// 1. `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`) in the environment;
/// 2. the profile (the caller's `profile` option, else `AWS_PROFILE`, else `default`) in the shared credentials
///    file (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`);
/// 3. values the caller passes in (a remote's local config).
public struct S3CredentialResolver: Sendable {
    /// The environment read (the process's by default; tests pass their own).
    public let environment: [String: String]

    /// A resolver over an environment.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The first credentials found, or `S3Error.noCredentials` naming every place looked at.
    public func resolve(profile: String? = nil, explicit: S3Credentials? = nil) throws(S3Error) -> S3Credentials {
        if let key = nonEmpty("AWS_ACCESS_KEY_ID"), let secret = nonEmpty("AWS_SECRET_ACCESS_KEY") {
            return S3Credentials(accessKeyID: key, secretAccessKey: secret, sessionToken: nonEmpty("AWS_SESSION_TOKEN"),
                                 source: "environment")
        }
        let profileName = profile ?? nonEmpty("AWS_PROFILE") ?? "default"
        let file = credentialsFilePath
        if let text = try? String(contentsOfFile: file, encoding: .utf8) {
            let sections = try AWSConfigFile.parse(text, path: file)
            if let section = sections[profileName] {
                guard let key = section["aws_access_key_id"], let secret = section["aws_secret_access_key"] else {
                    throw .incompleteProfile(profile: profileName, path: file)
                }
                return S3Credentials(accessKeyID: key, secretAccessKey: secret,
                                     sessionToken: section["aws_session_token"],
                                     source: "profile \(profileName) in \(file)")
            }
        }
        if let explicit { return explicit }
        throw .noCredentials(tried: ["AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY",
                                            "profile \(profileName) in \(file)", "the remote's config"])
    }

    /// The shared credentials file: `AWS_SHARED_CREDENTIALS_FILE`, else `$HOME/.aws/credentials`.
    public var credentialsFilePath: String {
        if let path = nonEmpty("AWS_SHARED_CREDENTIALS_FILE") { return path }
        return (nonEmpty("HOME") ?? NSHomeDirectory()) + "/.aws/credentials"
    }

    /// The region: the caller's option, else `AWS_REGION`, else `AWS_DEFAULT_REGION`, else `us-east-1`.
    public func region(option: String? = nil) -> String {
        option.flatMap { $0.isEmpty ? nil : $0 } ?? nonEmpty("AWS_REGION") ?? nonEmpty("AWS_DEFAULT_REGION")
            ?? "us-east-1"
    }

    private func nonEmpty(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }
}
