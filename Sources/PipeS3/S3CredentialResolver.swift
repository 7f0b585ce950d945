import Foundation

/// Finds credentials, region and endpoint the way AWS's own tools (botocore, aws-cli) do, first match wins:
/// 1. `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`) in the environment, unless the caller
///    names a profile explicitly (a remote's `profile` option, like `--profile`, overrides environment keys);
/// 2. keys the caller passes in (a remote's `access_key_id`/`secret_access_key`): given explicitly, as to a boto3
///    `Session`, they win over any profile (DVC: they "override" the AWS CLI's files);
/// 3. the profile (the caller's `profile` option, else `AWS_PROFILE`, else `default`) in the shared credentials
///    file (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`), then in the config file (`AWS_CONFIG_FILE`,
///    else `~/.aws/config`, where it is `[profile NAME]`).
public struct S3CredentialResolver: Sendable {
    /// The environment read (the process's by default; tests pass their own).
    public let environment: [String: String]

    /// A resolver over an environment.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The first credentials found, or `S3Error.noCredentials` naming every place looked at.
    public func resolve(profile: String? = nil, explicit: S3Credentials? = nil) throws(S3Error) -> S3Credentials {
        let explicitProfile = profile.flatMap { $0.isEmpty ? nil : $0 }
        if explicitProfile == nil, let key = nonEmpty("AWS_ACCESS_KEY_ID"), let secret = nonEmpty("AWS_SECRET_ACCESS_KEY") {
            return S3Credentials(accessKeyID: key, secretAccessKey: secret, sessionToken: nonEmpty("AWS_SESSION_TOKEN"),
                                 source: "environment")
        }
        if let explicit { return explicit }
        let profileName = explicitProfile ?? nonEmpty("AWS_PROFILE") ?? "default"
        var incomplete: String?
        for file in [credentialsFilePath, configFilePath] {
            guard let section = try Self.sections(of: file)?[profileName] else { continue }
            guard let key = section["aws_access_key_id"], let secret = section["aws_secret_access_key"] else {
                incomplete = incomplete ?? file
                continue
            }
            return S3Credentials(accessKeyID: key, secretAccessKey: secret, sessionToken: section["aws_session_token"],
                                 source: "profile \(profileName) in \(file)")
        }
        if let incomplete { throw .incompleteProfile(profile: profileName, path: incomplete) }
        throw .noCredentials(tried: (explicitProfile == nil ? ["AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"] : [])
                             + ["the remote's config", "profile \(profileName) in \(credentialsFilePath)",
                                "profile \(profileName) in \(configFilePath)"])
    }

    /// The shared credentials file: `AWS_SHARED_CREDENTIALS_FILE`, else `$HOME/.aws/credentials`.
    public var credentialsFilePath: String {
        if let path = nonEmpty("AWS_SHARED_CREDENTIALS_FILE") { return path }
        return home + "/.aws/credentials"
    }

    /// The config file: `AWS_CONFIG_FILE`, else `$HOME/.aws/config`.
    public var configFilePath: String {
        if let path = nonEmpty("AWS_CONFIG_FILE") { return path }
        return home + "/.aws/config"
    }

    /// The region: the caller's option, else `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the profile's `region` in
    /// the config file, else `us-east-1`.
    public func region(option: String? = nil, profile: String? = nil) throws(S3Error) -> String {
        if let option, !option.isEmpty { return option }
        if let region = nonEmpty("AWS_REGION") ?? nonEmpty("AWS_DEFAULT_REGION") { return region }
        return try configValue("region", profile: profile) ?? "us-east-1"
    }

    /// A custom endpoint, if one is set: the caller's option, else `AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL`,
    /// else the profile's `endpoint_url` in the config file (AWS's service-specific endpoint settings); nil: AWS.
    public func endpointURL(option: String? = nil, profile: String? = nil) throws(S3Error) -> String? {
        if let option, !option.isEmpty { return option }
        if let url = nonEmpty("AWS_ENDPOINT_URL_S3") ?? nonEmpty("AWS_ENDPOINT_URL") { return url }
        return try configValue("endpoint_url", profile: profile)
    }

    /// `key` of the profile (the explicit one, else `AWS_PROFILE`, else `default`) in the config file.
    private func configValue(_ key: String, profile: String?) throws(S3Error) -> String? {
        let name = profile.flatMap { $0.isEmpty ? nil : $0 } ?? nonEmpty("AWS_PROFILE") ?? "default"
        return try Self.sections(of: configFilePath)?[name]?[key].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The sections of an AWS INI file, nil when it cannot be read.
    private static func sections(of path: String) throws(S3Error) -> [String: [String: String]]? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return try AWSConfigFile.parse(text, path: path)
    }

    private var home: String { nonEmpty("HOME") ?? NSHomeDirectory() }

    private func nonEmpty(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }
}
