/// S3's URI encoding (the `UriEncode` of the SigV4 specification): every byte but `A-Z a-z 0-9 - . _ ~` becomes
/// `%XX` (uppercase hex), a slash is kept in object key paths and encoded in query names and values.
public enum S3URIEncoding {
    /// The encoded form of `text`; `keepSlash` for a path, not for a query component.
    public static func encode(_ text: String, keepSlash: Bool) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: "/") where keepSlash:
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0f)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The request path of an object (or of the bucket when `key` is empty) in path-style addressing.
    public static func objectPath(bucket: String, key: String) -> String {
        key.isEmpty ? "/" + encode(bucket, keepSlash: false) : "/" + encode(bucket, keepSlash: false) + "/"
            + encode(key, keepSlash: true)
    }
}
