import Foundation
import PipeBasics
import PipeHTTP

/// An S3 client over `PipeHTTP`: SigV4-signed, path-style requests to one endpoint, with the operations remotes
/// need (head/get/put/delete/list objects, multipart uploads, head bucket). Server errors become
/// `S3Error.service` with the server's code, transport failures `S3Error.transport`.
public struct S3Client: Sendable {
    /// The shared HTTP transport (its pool bounds the connections).
    public let transport: HTTPTransport
    /// Where requests go.
    public let endpoint: S3Endpoint
    /// Signs every request.
    public let signer: SigV4Signer

    /// A client for one endpoint, region and identity.
    public init(transport: HTTPTransport, endpoint: S3Endpoint, region: String, credentials: S3Credentials) {
        self.transport = transport
        self.endpoint = endpoint
        self.signer = SigV4Signer(credentials: credentials, region: region)
    }

    /// One S3 call: builds, signs (per attempt) and sends it; a non-2xx answer not in `accepting` is thrown as the
    /// server's error.
    func call(_ operation: String, method: String, bucket: String, key: String = "", query: [(String, String)] = [],
              headers: [(name: String, value: String)] = [], body: HTTPRequestBody = .empty,
              destination: HTTPResponseDestination = .memory(limit: 16 << 20),
              accepting: Set<Int> = []) async throws(S3Error) -> HTTPResponse {
        let payloadHash: String = switch body {
        case .empty: SigV4Signer.emptyPayloadHash
        case .bytes(let bytes): SigV4Signer.sha256Hex(bytes)
        case .file: SigV4Signer.unsignedPayload
        }
        let request = HTTPRequest(method: method, scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port,
                                  path: S3URIEncoding.objectPath(bucket: bucket, key: key),
                                  query: SigV4Signer.canonicalQuery(query), headers: headers, body: body)
        let response: HTTPResponse
        do {
            response = try await transport.send(request, signer: S3RequestSigner(signer: signer, query: query,
                                                                                  payloadHash: payloadHash),
                                                to: destination)
        } catch let error as HTTPError {
            throw .transport(error)
        } catch {
            throw .transport(.failed(target: request.displayTarget, reason: "\(error)"))
        }
        guard response.isSuccess || accepting.contains(response.status) else {
            throw .service(Self.serviceError(response, operation: operation,
                                             resource: key.isEmpty ? bucket : "\(bucket)/\(key)"))
        }
        return response
    }

    /// The server's error from a failed response: the XML body's fields, else a code made from the status.
    static func serviceError(_ response: HTTPResponse, operation: String, resource: String) -> S3ServiceError {
        let requestID = response.header("x-amz-request-id")
        if let root = try? S3XMLElement.parse(response.body), root.name == "Error", let code = root.text(of: "Code") {
            return S3ServiceError(code: code, message: root.text(of: "Message") ?? "",
                                  requestID: root.text(of: "RequestId") ?? requestID, status: response.status,
                                  operation: operation, resource: resource)
        }
        let code: String = switch response.status {
        case 404: operation == "HeadBucket" ? "NoSuchBucket" : "NoSuchKey"
        case 403: "AccessDenied"
        case 412: "PreconditionFailed"
        case 503: "ServiceUnavailable"
        default: "HTTP\(response.status)"
        }
        return S3ServiceError(code: code, message: response.bodyExcerpt, requestID: requestID,
                              status: response.status, operation: operation, resource: resource)
    }

    /// Parses a 2xx XML body, naming the operation when it cannot.
    static func xml(_ response: HTTPResponse, operation: String) throws(S3Error) -> S3XMLElement {
        do {
            return try S3XMLElement.parse(response.body)
        } catch {
            throw .malformedResponse(operation: operation, reason: error.description)
        }
    }

    /// The size of a local file, as an `S3Error` when it cannot be read.
    static func fileSize(_ path: String) throws(S3Error) -> Int64 {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? NSNumber else {
            throw .transport(.localFile(path: path, reason: "cannot read the file's size"))
        }
        return size.int64Value
    }

    /// Base64 of the MD5 of a body (`Content-MD5`, which DeleteObjects requires).
    static func contentMD5(_ bytes: [UInt8]) -> String {
        Data(MessageDigest.hash(.md5, bytes)).base64EncodedString()
    }
}
