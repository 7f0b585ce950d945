/// A multipart upload in progress, as ListMultipartUploads reports it.
public struct S3PendingUpload: Sendable, Equatable {
    /// The key being uploaded.
    public let key: String
    /// The upload's id.
    public let uploadID: String
}

/// What `uploadFile` reports as it goes; throwing from the callback cancels (a multipart upload is then aborted).
public enum S3UploadEvent: Sendable, Equatable {
    /// A part of `length` bytes was stored (a single-part upload reports part 1).
    case partStored(partNumber: Int, length: Int64)
}

extension S3Client {
    /// The smallest part S3 accepts (all but the last part).
    public static let minimumPartSize: Int64 = 5 << 20

    /// Uploads a file: one PutObject up to `partSize`, else a multipart upload with up to `concurrency` parts in
    /// flight, each streamed from its region of the file. Any failure (or a throw from `progress`) aborts the
    /// upload, so no object and no stored parts are left behind. With `ifNoneMatch` an existing key is kept.
    public func uploadFile(bucket: String, key: String, path: String, partSize: Int64 = 16 << 20,
                           concurrency: Int = 8, ifNoneMatch: Bool = false,
                           progress: @escaping @Sendable (S3UploadEvent) throws -> Void = { _ in })
        async throws(S3Error) -> S3PutOutcome {
        let size = try Self.fileSize(path)
        // S3 allows 10,000 parts: grow the part for very large files.
        let part = max(Self.minimumPartSize, partSize, (size + 9_999) / 10_000)
        guard size > part else {
            let outcome = try await putObject(bucket: bucket, key: key, fromFile: path, ifNoneMatch: ifNoneMatch)
            do { try progress(.partStored(partNumber: 1, length: size)) } catch {
                throw .transport(.failed(target: "PutObject \(bucket)/\(key)", reason: "cancelled: \(error)"))
            }
            return outcome
        }
        let uploadID = try await createMultipartUpload(bucket: bucket, key: key)
        do {
            let etags = try await uploadParts(bucket: bucket, key: key, uploadID: uploadID, path: path, size: size,
                                              partSize: part, concurrency: max(1, concurrency), progress: progress)
            return try await completeMultipartUpload(bucket: bucket, key: key, uploadID: uploadID, parts: etags,
                                                     ifNoneMatch: ifNoneMatch)
        } catch {
            // A task of its own, so the abort is still sent when the caller's task was cancelled.
            await Task { try? await abortMultipartUpload(bucket: bucket, key: key, uploadID: uploadID) }.value
            throw .multipartAborted(key: key, uploadID: uploadID, cause: "\(error)")
        }
    }

    /// Sends every part, at most `concurrency` at once; returns (part number, ETag) in part order.
    private func uploadParts(bucket: String, key: String, uploadID: String, path: String, size: Int64,
                             partSize: Int64, concurrency: Int,
                             progress: @escaping @Sendable (S3UploadEvent) throws -> Void) async throws
        -> [(Int, String)] {
        let count = Int((size + partSize - 1) / partSize)
        return try await withThrowingTaskGroup(of: (Int, String).self) { group in
            var etags: [(Int, String)] = []
            var next = 1
            func launch(_ number: Int) {
                let offset = Int64(number - 1) * partSize
                let length = min(partSize, size - offset)
                group.addTask {
                    let etag = try await uploadPart(bucket: bucket, key: key, uploadID: uploadID, partNumber: number,
                                                    path: path, offset: offset, length: length)
                    try progress(.partStored(partNumber: number, length: length))
                    return (number, etag)
                }
            }
            while next <= min(count, concurrency) { launch(next); next += 1 }
            while let done = try await group.next() {
                etags.append(done)
                if next <= count { launch(next); next += 1 }
            }
            return etags.sorted { $0.0 < $1.0 }
        }
    }

    /// CreateMultipartUpload: starts an upload and returns its id.
    public func createMultipartUpload(bucket: String, key: String) async throws(S3Error) -> String {
        let response = try await call("CreateMultipartUpload", method: "POST", bucket: bucket, key: key,
                                      query: [("uploads", "")])
        let root = try Self.xml(response, operation: "CreateMultipartUpload")
        guard let id = root.text(of: "UploadId"), !id.isEmpty else {
            throw .malformedResponse(operation: "CreateMultipartUpload", reason: "no UploadId")
        }
        return id
    }

    /// UploadPart: `length` bytes of `path` from `offset` as part `partNumber` (1…10000); returns its ETag.
    public func uploadPart(bucket: String, key: String, uploadID: String, partNumber: Int, path: String,
                           offset: Int64, length: Int64) async throws(S3Error) -> String {
        let response = try await call("UploadPart", method: "PUT", bucket: bucket, key: key,
                                      query: [("partNumber", String(partNumber)), ("uploadId", uploadID)],
                                      body: .file(path: path, offset: offset, length: length))
        guard let etag = response.header("ETag") else {
            throw .malformedResponse(operation: "UploadPart", reason: "no ETag for part \(partNumber)")
        }
        return etag
    }

    /// CompleteMultipartUpload: joins the parts into the object. S3 may answer 200 with an `<Error>` body (the
    /// failure arrives after the status line); that is thrown as the service error it is.
    public func completeMultipartUpload(bucket: String, key: String, uploadID: String, parts: [(Int, String)],
                                        ifNoneMatch: Bool = false) async throws(S3Error) -> S3PutOutcome {
        let xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + parts.map { "<Part><PartNumber>\($0.0)</PartNumber><ETag>\(xmlEscaped($0.1))</ETag></Part>" }.joined()
            + "</CompleteMultipartUpload>"
        let headers: [(name: String, value: String)] = ifNoneMatch ? [("If-None-Match", "*")] : []
        let response = try await call("CompleteMultipartUpload", method: "POST", bucket: bucket, key: key,
                                      query: [("uploadId", uploadID)],
                                      headers: headers + [("Content-Type", "application/xml")],
                                      body: .bytes(Array(xml.utf8)), accepting: ifNoneMatch ? [412] : [])
        guard response.status != 412 else {
            try? await abortMultipartUpload(bucket: bucket, key: key, uploadID: uploadID)
            return .alreadyExists
        }
        let root = try Self.xml(response, operation: "CompleteMultipartUpload")
        if root.name == "Error" {
            throw .service(Self.serviceError(response, operation: "CompleteMultipartUpload",
                                             resource: "\(bucket)/\(key)"))
        }
        return .stored(etag: Self.unquoted(root.text(of: "ETag") ?? ""))
    }

    /// AbortMultipartUpload: discards an upload and its stored parts.
    public func abortMultipartUpload(bucket: String, key: String, uploadID: String) async throws(S3Error) {
        _ = try await call("AbortMultipartUpload", method: "DELETE", bucket: bucket, key: key,
                           query: [("uploadId", uploadID)], accepting: [404])
    }

    /// ListMultipartUploads: uploads begun under `prefix` and neither completed nor aborted (first 1000).
    public func listMultipartUploads(bucket: String, prefix: String = "") async throws(S3Error) -> [S3PendingUpload] {
        var query = [("uploads", "")]
        if !prefix.isEmpty { query.append(("prefix", prefix)) }
        let response = try await call("ListMultipartUploads", method: "GET", bucket: bucket, query: query)
        let root = try Self.xml(response, operation: "ListMultipartUploads")
        return root.children("Upload").compactMap { upload in
            guard let key = upload.text(of: "Key"), let id = upload.text(of: "UploadId") else { return nil }
            return S3PendingUpload(key: key, uploadID: id)
        }
    }
}
