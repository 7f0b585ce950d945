import Foundation
import Testing
@testable import PipeS3

@Suite("Credentials and region found the way AWS tools find them")
struct S3CredentialResolverTests {
    static let file = """
        # comment
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = default-secret

        [ci]
        aws_access_key_id=AKIDCI
        aws_secret_access_key=ci-secret
        aws_session_token = ci-token
        ; another comment
        [broken]
        aws_access_key_id = AKIDBROKEN
        """

    /// An environment whose credentials file holds `file`.
    static func environment(_ extra: [String: String] = [:], file: String = S3CredentialResolverTests.file) throws
        -> [String: String] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("credentials-\(UUID().uuidString)")
        try file.write(to: path, atomically: true, encoding: .utf8)
        return extra.merging(["AWS_SHARED_CREDENTIALS_FILE": path.path, "HOME": "/nonexistent"]) { $1 }
    }

    static let config = S3Credentials(accessKeyID: "AKIDCONFIG", secretAccessKey: "config-secret", source: "config")

    @Test("environment keys win over the profile and the config")
    func environmentFirst() throws {
        let env = try Self.environment(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret",
                                        "AWS_SESSION_TOKEN": "env-token", "AWS_PROFILE": "ci"])
        let found = try S3CredentialResolver(environment: env).resolve(explicit: Self.config)
        #expect(found == S3Credentials(accessKeyID: "AKIDENV", secretAccessKey: "env-secret",
                                       sessionToken: "env-token", source: "environment"))
    }

    @Test("without environment keys, AWS_PROFILE picks the profile, else the default one")
    func profiles() throws {
        let ci = try S3CredentialResolver(environment: Self.environment(["AWS_PROFILE": "ci"])).resolve()
        #expect(ci.accessKeyID == "AKIDCI")
        #expect(ci.sessionToken == "ci-token")
        #expect(ci.source.hasPrefix("profile ci in "))
        let fallback = try S3CredentialResolver(environment: Self.environment()).resolve()
        #expect(fallback.accessKeyID == "AKIDDEFAULT")
        let option = try S3CredentialResolver(environment: Self.environment(["AWS_PROFILE": "default"]))
            .resolve(profile: "ci")
        #expect(option.accessKeyID == "AKIDCI")
    }

    @Test("the remote's keys win over every profile of the files, AWS_PROFILE's and a named one alike, as DVC's do")
    func configOverProfiles() throws {
        let env = try Self.environment(["AWS_PROFILE": "ci"])
        #expect(try S3CredentialResolver(environment: env).resolve(explicit: Self.config) == Self.config)
        #expect(try S3CredentialResolver(environment: Self.environment()).resolve(explicit: Self.config) == Self.config)
        #expect(try S3CredentialResolver(environment: env).resolve(profile: "default", explicit: Self.config)
            == Self.config)
    }

    @Test("the config's values are used when neither the environment nor the file has credentials")
    func configWithoutFiles() throws {
        let env = try Self.environment(["AWS_PROFILE": "absent"])
        #expect(try S3CredentialResolver(environment: env).resolve(explicit: Self.config) == Self.config)
        #expect(try S3CredentialResolver(environment: ["HOME": "/nonexistent"]).resolve(explicit: Self.config)
            == Self.config)
    }

    @Test("nothing anywhere names every place looked at; a half profile names the file")
    func missing() throws {
        let env = try Self.environment(["AWS_PROFILE": "absent"])
        #expect(throws: S3Error.self) { try S3CredentialResolver(environment: env).resolve() }
        do throws(S3Error) {
            _ = try S3CredentialResolver(environment: env).resolve()
        } catch {
            #expect(error.code == "NoCredentials")
            #expect(error.description.contains("profile absent in \(env["AWS_SHARED_CREDENTIALS_FILE"]!)"))
        }
        let broken = try Self.environment(["AWS_PROFILE": "broken"])
        do throws(S3Error) {
            _ = try S3CredentialResolver(environment: broken).resolve()
            Issue.record("an incomplete profile was accepted")
        } catch {
            #expect(error.code == "IncompleteProfile")
        }
    }

    @Test("a malformed line is reported by number, without its text")
    func malformedFile() throws {
        let env = try Self.environment(file: "[default]\naws_access_key_id = AKID\nsecret-without-equals\n")
        do throws(S3Error) {
            _ = try S3CredentialResolver(environment: env).resolve()
            Issue.record("a malformed file was accepted")
        } catch {
            #expect(error.description == "\(env["AWS_SHARED_CREDENTIALS_FILE"]!):3: not a [section], key = value "
                + "line or comment; fix or remove the line")
        }
    }

    @Test("the region comes from the option, AWS_REGION, AWS_DEFAULT_REGION, the profile's config, then us-east-1")
    func region() throws {
        let home = ["HOME": "/nonexistent"]
        let both = S3CredentialResolver(environment: home.merging(["AWS_REGION": "eu-west-1",
                                                                   "AWS_DEFAULT_REGION": "ap-south-1"]) { $1 })
        #expect(try both.region(option: "us-west-2") == "us-west-2")
        #expect(try both.region() == "eu-west-1")
        #expect(try S3CredentialResolver(environment: home.merging(["AWS_DEFAULT_REGION": "ap-south-1"]) { $1 }).region()
            == "ap-south-1")
        #expect(try S3CredentialResolver(environment: home).region() == "us-east-1")
        let config = try Self.configFile(Self.awsConfig)
        #expect(try S3CredentialResolver(environment: config).region() == "eu-north-1")
        #expect(try S3CredentialResolver(environment: config).region(profile: "lab") == "ca-central-1")
        #expect(try S3CredentialResolver(environment: config.merging(["AWS_PROFILE": "lab"]) { $1 }).region()
            == "ca-central-1")
    }

    /// A config file as `aws configure` writes it: `[default]`, then `[profile NAME]`.
    static let awsConfig = """
        [default]
        region = eu-north-1
        [profile lab]
        region = ca-central-1
        endpoint_url = http://127.0.0.1:9000
        aws_access_key_id = AKIDLAB
        aws_secret_access_key = lab-secret
        """

    /// An environment whose config file holds `text` and whose credentials file is `file`.
    static func configFile(_ text: String) throws -> [String: String] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)")
        try text.write(to: path, atomically: true, encoding: .utf8)
        return try environment(["AWS_CONFIG_FILE": path.path])
    }

    @Test("a profile named explicitly (the remote's profile option) wins over environment keys, as --profile does")
    func explicitProfileOverridesEnvironment() throws {
        let env = try Self.environment(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret"])
        #expect(try S3CredentialResolver(environment: env).resolve(profile: "ci").accessKeyID == "AKIDCI")
        #expect(try S3CredentialResolver(environment: env).resolve().accessKeyID == "AKIDENV")
    }

    @Test("credentials in the config file's [profile NAME] are used when the credentials file lacks the profile")
    func configFileCredentials() throws {
        let env = try Self.configFile(Self.awsConfig)
        let lab = try S3CredentialResolver(environment: env).resolve(profile: "lab")
        #expect(lab.accessKeyID == "AKIDLAB")
        #expect(lab.source == "profile lab in \(env["AWS_CONFIG_FILE"]!)")
        #expect(try S3CredentialResolver(environment: env).resolve().accessKeyID == "AKIDDEFAULT")
    }

    @Test("the endpoint comes from the option, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, then the profile's config")
    func endpoint() throws {
        let env = try Self.configFile(Self.awsConfig)
        let resolver = S3CredentialResolver(environment: env)
        #expect(try resolver.endpointURL() == nil)
        #expect(try resolver.endpointURL(profile: "lab") == "http://127.0.0.1:9000")
        #expect(try resolver.endpointURL(option: "http://option:1", profile: "lab") == "http://option:1")
        let general = S3CredentialResolver(environment: env.merging(["AWS_ENDPOINT_URL": "http://general:2"]) { $1 })
        #expect(try general.endpointURL(profile: "lab") == "http://general:2")
        let specific = S3CredentialResolver(environment: env.merging(["AWS_ENDPOINT_URL": "http://general:2",
                                                                      "AWS_ENDPOINT_URL_S3": "http://s3:3"]) { $1 })
        #expect(try specific.endpointURL() == "http://s3:3")
    }

    @Test("credentials print their access key and source, never the secret or the token")
    func noSecretInDescriptions() {
        let credentials = S3Credentials(accessKeyID: "AKIDSHOWN", secretAccessKey: "very-secret-value",
                                        sessionToken: "very-secret-token", source: "environment")
        for text in [credentials.description, credentials.debugDescription, "\(credentials)",
                     String(reflecting: credentials)] {
            #expect(text == "access key AKIDSHOWN (from environment)")
        }
    }
}
