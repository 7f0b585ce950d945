import Foundation
import PipeHTTP

/// Signs each attempt of an S3 request with SigV4 at the current time: every header but `User-Agent` is signed
/// (proxies may rewrite it), the query is the canonical one the request already carries.
struct S3RequestSigner: HTTPRequestSigner {
    let signer: SigV4Signer
    let query: [(String, String)]
    let payloadHash: String

    func sign(_ request: inout HTTPRequest) {
        let unsigned = request.headers.filter { $0.name.lowercased() == "user-agent" }
        let toSign = request.headers.filter { $0.name.lowercased() != "user-agent" }.map { ($0.name, $0.value) }
        let signature = signer.sign(method: request.method, encodedPath: request.path, query: query, headers: toSign,
                                    payloadHash: payloadHash, date: Date())
        request.headers = signature.headers.map { (name: $0.name, value: $0.value) } + unsigned
    }
}
