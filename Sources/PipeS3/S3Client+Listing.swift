/// One page of ListObjectsV2.
public struct S3ListPage: Sendable, Equatable {
    /// The objects on this page, in key order.
    public let objects: [S3ObjectInfo]
    /// The token for the next page, nil on the last.
    public let continuationToken: String?
}

/// A key DeleteObjects could not delete, and the server's reason.
public struct S3DeleteFailure: Sendable, Equatable {
    /// The key.
    public let key: String
    /// S3's code (`AccessDenied`, …).
    public let code: String
    /// S3's message.
    public let message: String
}

extension S3Client {
    /// ListObjectsV2: one page of the keys under `prefix` after `continuationToken`, at most `maxKeys` (≤ 1000).
    public func listObjectsPage(bucket: String, prefix: String = "", continuationToken: String? = nil,
                                maxKeys: Int = 1000) async throws(S3Error) -> S3ListPage {
        var query = [("list-type", "2"), ("max-keys", String(maxKeys))]
        if !prefix.isEmpty { query.append(("prefix", prefix)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        let response = try await call("ListObjectsV2", method: "GET", bucket: bucket, query: query)
        let root = try Self.xml(response, operation: "ListObjectsV2")
        guard root.name == "ListBucketResult" else {
            throw .malformedResponse(operation: "ListObjectsV2", reason: "root element <\(root.name)>")
        }
        let objects = root.children("Contents").compactMap { item -> S3ObjectInfo? in
            guard let key = item.text(of: "Key") else { return nil }
            return S3ObjectInfo(key: key, size: Int64(item.text(of: "Size") ?? "") ?? 0,
                                etag: Self.unquoted(item.text(of: "ETag") ?? ""))
        }
        let truncated = root.text(of: "IsTruncated") == "true"
        let next = root.text(of: "NextContinuationToken").flatMap { $0.isEmpty ? nil : $0 }
        if truncated && next == nil {
            throw .malformedResponse(operation: "ListObjectsV2", reason: "truncated page without a continuation token")
        }
        return S3ListPage(objects: objects, continuationToken: truncated ? next : nil)
    }

    /// ListObjectsV2 over every page: all keys under `prefix`, in key order.
    public func listObjects(bucket: String, prefix: String = "", pageSize: Int = 1000) async throws(S3Error)
        -> [S3ObjectInfo] {
        var all: [S3ObjectInfo] = []
        var token: String?
        repeat {
            let page = try await listObjectsPage(bucket: bucket, prefix: prefix, continuationToken: token,
                                                 maxKeys: pageSize)
            all += page.objects
            token = page.continuationToken
        } while token != nil
        return all
    }

    /// DeleteObjects in batches of at most 1000 keys (quiet mode); returns the keys the server refused.
    /// Deleting a key that does not exist succeeds, as in S3.
    public func deleteObjects(bucket: String, keys: [String]) async throws(S3Error) -> [S3DeleteFailure] {
        var failures: [S3DeleteFailure] = []
        var start = 0
        while start < keys.count {
            let batch = keys[start..<min(start + 1000, keys.count)]
            start += batch.count
            let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Quiet>true</Quiet>" + batch.map { "<Object><Key>\(xmlEscaped($0))</Key></Object>" }.joined()
                + "</Delete>"
            let body = Array(xml.utf8)
            let response = try await call("DeleteObjects", method: "POST", bucket: bucket, query: [("delete", "")],
                                          headers: [("Content-MD5", Self.contentMD5(body)),
                                                    ("Content-Type", "application/xml")],
                                          body: .bytes(body))
            let root = try Self.xml(response, operation: "DeleteObjects")
            failures += root.children("Error").map {
                S3DeleteFailure(key: $0.text(of: "Key") ?? "", code: $0.text(of: "Code") ?? "",
                                message: $0.text(of: "Message") ?? "")
            }
        }
        return failures
    }
}
