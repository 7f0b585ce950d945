import Foundation
import Testing
@testable import PipeS3

/// AWS's published SigV4 examples, reproduced byte for byte: the four worked examples of the S3 API reference
/// ("Signature Calculations for the Authorization Header: Transferring Payload in a Single Chunk") and
/// the general SigV4 test suite's get-vanilla, get-vanilla-query-order-key-case, get-space, get-unreserved,
/// get-utf8, get-vanilla-query-unreserved, get-vanilla-utf8-query and post-x-www-form-urlencoded.
@Suite("SigV4 signer against AWS's published examples")
struct SigV4SignerTests {
    /// The S3 examples' identity, time (2013-05-24T00:00:00Z) and virtual-host name.
    static let s3 = SigV4Signer(credentials: S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                                                           secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                                           source: "AWS example"),
                                region: "us-east-1")
    static let may24 = Date(timeIntervalSince1970: 1_369_353_600)
    static let host = ("Host", "examplebucket.s3.amazonaws.com")
    static let empty = SigV4Signer.emptyPayloadHash

    @Test("GET Object with a Range header gives the documented canonical request, string to sign and signature")
    func getObject() {
        let signed = Self.s3.sign(method: "GET", encodedPath: "/test.txt", query: [],
                                  headers: [Self.host, ("Range", "bytes=0-9")], payloadHash: Self.empty,
                                  date: Self.may24)
        #expect(signed.canonicalRequest == """
            GET
            /test.txt

            host:examplebucket.s3.amazonaws.com
            range:bytes=0-9
            x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            x-amz-date:20130524T000000Z

            host;range;x-amz-content-sha256;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(signed.stringToSign == """
            AWS4-HMAC-SHA256
            20130524T000000Z
            20130524/us-east-1/s3/aws4_request
            7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
            """)
        #expect(signed.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(signed.authorization == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
            + "aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test("PUT Object encodes $ in the key, signs the body's hash and the Date and storage-class headers")
    func putObject() {
        let body = Array("Welcome to Amazon S3.".utf8)
        let hash = SigV4Signer.sha256Hex(body)
        #expect(hash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let path = "/" + S3URIEncoding.encode("test$file.text", keepSlash: true)
        let signed = Self.s3.sign(method: "PUT", encodedPath: path, query: [],
                                  headers: [Self.host, ("Date", "Fri, 24 May 2013 00:00:00 GMT"),
                                            ("x-amz-storage-class", "REDUCED_REDUNDANCY")],
                                  payloadHash: hash, date: Self.may24)
        #expect(signed.canonicalRequest == """
            PUT
            /test%24file.text

            date:Fri, 24 May 2013 00:00:00 GMT
            host:examplebucket.s3.amazonaws.com
            x-amz-content-sha256:44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072
            x-amz-date:20130524T000000Z
            x-amz-storage-class:REDUCED_REDUNDANCY

            date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class
            44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072
            """)
        #expect(signed.stringToSign.hasSuffix("\n9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d"))
        #expect(signed.signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test("GET Bucket Lifecycle signs a value-less query parameter as lifecycle=")
    func getBucketLifecycle() {
        let signed = Self.s3.sign(method: "GET", encodedPath: "/", query: [("lifecycle", "")], headers: [Self.host],
                                  payloadHash: Self.empty, date: Self.may24)
        #expect(signed.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[2] == "lifecycle=")
        #expect(signed.stringToSign.hasSuffix("\n9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca"))
        #expect(signed.signature == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    @Test("ListObjects sorts the query parameters (prefix given before max-keys)")
    func listObjects() {
        let signed = Self.s3.sign(method: "GET", encodedPath: "/", query: [("prefix", "J"), ("max-keys", "2")],
                                  headers: [Self.host], payloadHash: Self.empty, date: Self.may24)
        #expect(signed.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[2]
            == "max-keys=2&prefix=J")
        #expect(signed.stringToSign.hasSuffix("\ndf57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7"))
        #expect(signed.signature == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    /// The general test suite's identity, time and host (service `service`).
    static let suite = SigV4Signer(credentials: S3Credentials(accessKeyID: "AKIDEXAMPLE",
                                                              secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                                              source: "AWS test suite"),
                                   region: "us-east-1", service: "service")
    static let august30 = Date(timeIntervalSince1970: 1_440_938_160)

    @Test("get-vanilla and get-vanilla-query-order-key-case of the SigV4 test suite")
    func testSuite() {
        func sign(_ query: [(String, String)]) -> SigV4Signer.Signature {
            Self.suite.sign(method: "GET", encodedPath: "/", query: query, headers: [("Host", "example.amazonaws.com")],
                            payloadHash: Self.empty, date: Self.august30, contentHashHeader: false)
        }
        let vanilla = sign([])
        #expect(vanilla.stringToSign == """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63
            """)
        #expect(vanilla.authorization == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
            + "aws4_request, SignedHeaders=host;x-amz-date, "
            + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        #expect(sign([("Param2", "value2"), ("Param1", "value1")]).signature
            == "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
    }

    @Test("get-space, get-unreserved, get-utf8, the unreserved and UTF-8 query cases and post-x-www-form-urlencoded of the SigV4 test suite")
    func testSuiteEncoding() {
        let unreserved = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        func sign(_ method: String = "GET", path: String, query: [(String, String)] = [],
                  headers: [(String, String)] = [], payload: String = "") -> SigV4Signer.Signature {
            Self.suite.sign(method: method, encodedPath: S3URIEncoding.encode(path, keepSlash: true), query: query,
                            headers: [("Host", "example.amazonaws.com")] + headers,
                            payloadHash: SigV4Signer.sha256Hex(Array(payload.utf8)), date: Self.august30,
                            contentHashHeader: false)
        }
        let space = sign(path: "/example space/")
        #expect(space.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[1] == "/example%20space/")
        #expect(space.signature == "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741")
        let unreservedPath = sign(path: "/" + unreserved)
        #expect(unreservedPath.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[1] == "/" + unreserved)
        #expect(unreservedPath.signature == "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f")
        let utf8 = sign(path: "/\u{1234}")
        #expect(utf8.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[1] == "/%E1%88%B4")
        #expect(utf8.stringToSign.hasSuffix("\n2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102"))
        #expect(utf8.signature == "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85")
        #expect(sign(path: "/", query: [(unreserved, unreserved)]).signature
            == "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197")
        let utf8Query = sign(path: "/", query: [("\u{1234}", "bar")])
        #expect(utf8Query.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[2] == "%E1%88%B4=bar")
        #expect(utf8Query.signature == "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04")
        let form = sign("POST", path: "/", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                        payload: "Param1=value1")
        #expect(form.canonicalRequest.hasSuffix(
            "\ncontent-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"))
        #expect(form.stringToSign.hasSuffix("\n42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281"))
        #expect(form.signature == "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a")
    }

    @Test("object keys with spaces, +, =, ~, % and UTF-8 are encoded once in the path and in a listing's prefix")
    func keyEncoding() {
        let key = "some dir/\u{FC}n\u{EF}code+x=y~%z/a b.txt"
        #expect(S3URIEncoding.objectPath(bucket: "b", key: key)
            == "/b/some%20dir/%C3%BCn%C3%AFcode%2Bx%3Dy~%25z/a%20b.txt")
        #expect(SigV4Signer.canonicalQuery([("prefix", "some dir/\u{FC}+=~%/"), ("list-type", "2")])
            == "list-type=2&prefix=some%20dir%2F%C3%BC%2B%3D~%25%2F")
    }

    @Test("a session token is signed as x-amz-security-token and sent")
    func sessionToken() {
        let signer = SigV4Signer(credentials: S3Credentials(accessKeyID: "AKID", secretAccessKey: "secret",
                                                            sessionToken: "TOKEN", source: "test"),
                                 region: "eu-west-1")
        let signed = signer.sign(method: "GET", encodedPath: "/b", query: [], headers: [("Host", "h")],
                                 payloadHash: SigV4Signer.unsignedPayload, date: Self.may24)
        #expect(signed.canonicalRequest.contains("\nx-amz-security-token:TOKEN\n"))
        #expect(signed.canonicalRequest.hasSuffix("\nhost;x-amz-content-sha256;x-amz-date;x-amz-security-token\nUNSIGNED-PAYLOAD"))
        #expect(signed.headers.contains { $0.name == "x-amz-security-token" && $0.value == "TOKEN" })
    }

    @Test("header values are trimmed and inner runs of spaces collapsed; names are lowercased")
    func headerCanonicalisation() {
        let signed = Self.s3.sign(method: "GET", encodedPath: "/", query: [],
                                  headers: [Self.host, ("X-Amz-Meta-Note", "  a   b \t c  ")],
                                  payloadHash: Self.empty, date: Self.may24)
        #expect(signed.canonicalRequest.contains("\nx-amz-meta-note:a b c\n"))
    }

    @Test("URI encoding keeps unreserved characters, keeps / only in paths, and encodes UTF-8 bytes uppercase")
    func uriEncoding() {
        #expect(S3URIEncoding.encode("A-z_0.9~", keepSlash: false) == "A-z_0.9~")
        #expect(S3URIEncoding.encode("a b+c=d&e", keepSlash: false) == "a%20b%2Bc%3Dd%26e")
        #expect(S3URIEncoding.encode("dir/file", keepSlash: true) == "dir/file")
        #expect(S3URIEncoding.encode("dir/file", keepSlash: false) == "dir%2Ffile")
        #expect(S3URIEncoding.encode("é*", keepSlash: true) == "%C3%A9%2A")
        #expect(S3URIEncoding.objectPath(bucket: "b", key: "files/md5/ab/c d") == "/b/files/md5/ab/c%20d")
        #expect(S3URIEncoding.objectPath(bucket: "b", key: "") == "/b")
    }
}
