import PipeCore
import PipeHTTP
import PipeS3

extension RemoteStorageFactory {
    /// Directories and S3 buckets, S3 through `transport` (one connection pool for the whole command).
    ///
    /// Credentials, region and endpoint are found as AWS tools find them (`S3CredentialResolver`: environment, then
    /// the remote's own key pair, then the profile — the remote's `profile` or `AWS_PROFILE` — in the credentials
    /// and config files); the endpoint is `endpoint_url` (or `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL` / the
    /// profile's), addressed path-style, else AWS's regional one.
    public static func withS3(transport: HTTPTransport,
                              resolver: S3CredentialResolver = S3CredentialResolver()) -> RemoteStorageFactory {
        RemoteStorageFactory { settings, workspace in
            guard case let .s3(bucket, prefix) = try settings.location else {
                return try RemoteStorageFactory.directories.open(settings, workspace)
            }
            let options = settings.options
            // Half a key pair is a mistake (boto3's PartialCredentialsError), not a reason to look elsewhere.
            if (options["access_key_id"] == nil) != (options["secret_access_key"] == nil) {
                let missing = options["access_key_id"] == nil ? "access_key_id" : "secret_access_key"
                throw PipeError(.remoteConfig, "remote '\(settings.name)' sets only half of its key pair: \(missing) "
                                + "is missing", fix: "pipe remote modify --local \(settings.name) \(missing) VALUE, or unset "
                                + "the other to use the environment or a profile",
                                keyPath: "remotes.\(settings.name).\(missing)")
            }
            do throws(S3Error) {
                var explicit: S3Credentials?
                if let key = options["access_key_id"], let secret = options["secret_access_key"] {
                    explicit = S3Credentials(accessKeyID: key, secretAccessKey: secret,
                                             sessionToken: options["session_token"], source: "the remote's config")
                }
                let credentials = try resolver.resolve(profile: options["profile"], explicit: explicit)
                let region = try resolver.region(option: options["region"], profile: options["profile"])
                var endpoint = S3Endpoint.aws(region: region)
                if let url = try resolver.endpointURL(option: options["endpoint_url"], profile: options["profile"]) {
                    endpoint = try S3Endpoint(url: url)
                }
                let client = S3Client(transport: transport, endpoint: endpoint, region: region, credentials: credentials)
                return S3RemoteStorage(client: client, bucket: bucket, prefix: prefix)
            } catch {
                throw PipeError(.remoteConfig, "remote '\(settings.name)': \(error.description)",
                                keyPath: "remotes.\(settings.name)")
            }
        }
    }
}
