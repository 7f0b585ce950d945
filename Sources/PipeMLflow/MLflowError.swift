import PipeHTTP

/// Why an MLflow call did not succeed. Messages name the endpoint, never a token or password.
public enum MLflowError: Error, Equatable, CustomStringConvertible {
    /// The tracking URI is not an `http(s)://host[:port][/prefix]` URL.
    case invalidURI(String, reason: String)
    /// The server could not be reached or did not answer in time.
    case transport(HTTPError)
    /// The server answered with an error: HTTP status, MLflow's `error_code` and its message.
    case rejected(target: String, status: Int, code: String, message: String)
    /// The answer was not the JSON expected.
    case badResponse(target: String, reason: String)
    /// The experiment runs go to is deleted (in the server's trash): the server refuses new runs in it and will not
    /// create another of the same name until it is restored or permanently deleted.
    case experimentDeleted(name: String, id: String)
    /// The run's artifact URI is not served through the tracking server's proxy (`mlflow-artifacts:/…`).
    case artifactsNotProxied(artifactURI: String)

    /// A stable code tests can match.
    public var code: String {
        switch self {
        case .invalidURI: "invalid-uri"
        case .transport(let error): error.code
        case .rejected(_, _, let code, _): code
        case .badResponse: "bad-response"
        case .artifactsNotProxied: "artifacts-not-proxied"
        case .experimentDeleted: "experiment-deleted"
        }
    }

    /// True when sending the same call later may succeed (the server was down, slow, or failing), false when the
    /// server refused the call for its content (sending it again would be refused again). A deleted experiment is
    /// retryable: once it is restored the kept run can go.
    public var isRetryable: Bool {
        switch self {
        case .transport, .experimentDeleted: true
        case .rejected(_, let status, _, _): status >= 500 || status == 401 || status == 403 || status == 404
            || status == 408 || status == 429
        case .invalidURI, .badResponse, .artifactsNotProxied: false
        }
    }

    public var description: String {
        switch self {
        case .invalidURI(let uri, let reason):
            "MLflow tracking URI '\(uri)' is not usable (\(reason)); set an http(s) URL such as http://127.0.0.1:5000"
        case .transport(let error):
            "MLflow server: \(error)"
        case .rejected(let target, let status, let code, let message):
            "\(target): MLflow refused the call (HTTP \(status) \(code)): \(message)"
        case .badResponse(let target, let reason):
            "\(target): unexpected answer from MLflow (\(reason))"
        case .experimentDeleted(let name, let id):
            "MLflow experiment '\(name)' (id \(id)) is deleted; restore it (`mlflow experiments restore "
                + "--experiment-id \(id)`) or delete it permanently (`mlflow gc --experiment-ids \(id)`), or set "
                + "MLFLOW_EXPERIMENT_NAME to another name"
        case .artifactsNotProxied(let uri):
            "the run's artifact URI \(uri) is not served by the tracking server; start it with "
                + "--artifacts-destination (artifact proxying) to upload artifacts"
        }
    }
}
