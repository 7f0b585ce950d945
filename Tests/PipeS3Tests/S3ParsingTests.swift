import PipeHTTP
import Testing
@testable import PipeS3

@Suite("S3 XML, errors and endpoints")
struct S3ParsingTests {
    @Test("an S3 error body becomes a typed error with code, message, request id and advice")
    func errorBody() {
        let body = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message>\
            <BucketName>b</BucketName><RequestId>4442587FB7D0A2F9</RequestId></Error>
            """
        let error = S3Client.serviceError(HTTPResponse(status: 404, headers: [], body: Array(body.utf8)),
                                          operation: "ListObjectsV2", resource: "b")
        #expect(error == S3ServiceError(code: "NoSuchBucket", message: "The specified bucket does not exist",
                                        requestID: "4442587FB7D0A2F9", status: 404, operation: "ListObjectsV2",
                                        resource: "b"))
        #expect(error.description == "ListObjectsV2 b: NoSuchBucket (The specified bucket does not exist); bucket "
            + "does not exist at this endpoint; create it or fix the remote's URL [request 4442587FB7D0A2F9]")
    }

    @Test("a body-less failure (HEAD) gets its code from the status")
    func statusOnly() {
        let response = HTTPResponse(status: 404, headers: [("x-amz-request-id", "R1")], body: [])
        #expect(S3Client.serviceError(response, operation: "HeadBucket", resource: "b").code == "NoSuchBucket")
        #expect(S3Client.serviceError(response, operation: "HeadObject", resource: "b/k").code == "NoSuchKey")
        #expect(S3Client.serviceError(HTTPResponse(status: 403, headers: [], body: []), operation: "HeadObject",
                                      resource: "b/k").code == "AccessDenied")
    }

    @Test("XML entities, CDATA, comments, namespaces and self-closing elements are read")
    func xml() throws {
        let document = """
            <?xml version="1.0"?><!-- c --><ns:ListBucketResult xmlns:ns="x"><Key>a&amp;b&lt;&#x41;&#66;</Key>\
            <Key><![CDATA[<raw>]]></Key><Empty/><IsTruncated attr='1'>false</IsTruncated></ns:ListBucketResult>
            """
        let root = try S3XMLElement.parse(Array(document.utf8))
        #expect(root.name == "ListBucketResult")
        #expect(root.children("Key").map(\.text) == ["a&b<AB", "<raw>"])
        #expect(root.child("Empty") == S3XMLElement(name: "Empty"))
        #expect(root.text(of: "IsTruncated") == "false")
        #expect(throws: S3XMLError.self) { try S3XMLElement.parse(Array("<a><b></a>".utf8)) }
        #expect(xmlEscaped("a<b>&\"'") == "a&lt;b&gt;&amp;\"'")
    }

    @Test("endpoint URLs parse to scheme, host and port; anything else is a clear error")
    func endpoints() throws {
        #expect(try S3Endpoint(url: "http://127.0.0.1:8333/").description == "http://127.0.0.1:8333")
        #expect(try S3Endpoint(url: "HTTPS://minio.example").port == nil)
        #expect(try S3Endpoint(url: "http://[::1]:9000").host == "::1")
        #expect(S3Endpoint.aws(region: "eu-west-1").description == "https://s3.eu-west-1.amazonaws.com")
        for bad in ["127.0.0.1:8333", "ftp://h", "http://h:0", "http://h/path", "http://user@h", "http://"] {
            #expect(throws: S3Error.self) { try S3Endpoint(url: bad) }
        }
        do { _ = try S3Endpoint(url: "s3.example") } catch {
            #expect(error.description == "endpoint_url 's3.example' is not an http(s)://host[:port] URL; fix the "
                + "remote's endpoint_url")
        }
    }
}
