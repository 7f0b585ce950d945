import Foundation
import HTTPTypes
import PipeBasics

/// An error a request gets back, as OpenAI's API shapes it (`{"error": {"message", "type", "param", "code"}}`),
/// so OpenAI clients surface it unchanged; `param` names the field at fault (`messages[0].content`).
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status it is answered with.
    public var status: HTTPResponse.Status
    /// What is wrong and what to do, for people.
    public var message: String
    /// The OpenAI error type (`invalid_request_error`, `rate_limit_error`, `timeout_error`, `server_error`).
    public var type: String
    /// The request field at fault, when one is.
    public var param: String?
    /// A stable code tests and clients can match.
    public var code: String
    /// Seconds to wait before retrying (429 and 503 only).
    public var retryAfter: Int?

    /// An error with every part given.
    public init(status: HTTPResponse.Status, message: String, type: String, param: String? = nil, code: String,
                retryAfter: Int? = nil) {
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.retryAfter = retryAfter
    }

    /// 400: the request body is malformed or a field is wrong (`param` names it).
    public static func invalid(_ param: String?, _ message: String, code: String = "invalid_value") -> APIError {
        APIError(status: .badRequest, message: message, type: "invalid_request_error", param: param, code: code)
    }

    /// 429: the queue is full; retry after `seconds`.
    public static func queueFull(retryAfter seconds: Int) -> APIError {
        APIError(status: .tooManyRequests, message: "the server's queue is full; retry after \(seconds) s",
                 type: "rate_limit_error", code: "queue_full", retryAfter: seconds)
    }

    /// 504: the request waited or ran longer than the per-request timeout.
    public static func timedOut(after seconds: Double) -> APIError {
        APIError(status: .gatewayTimeout, message: "the request did not finish within the \(seconds) s timeout",
                 type: "timeout_error", code: "timeout")
    }

    /// 503: the server is shutting down and takes no new work.
    public static let shuttingDown = APIError(status: .serviceUnavailable, message: "the server is shutting down",
                                              type: "server_error", code: "shutting_down", retryAfter: 1)

    /// 404: no such model or route.
    public static func notFound(_ param: String?, _ message: String) -> APIError {
        APIError(status: .notFound, message: message, type: "invalid_request_error", param: param, code: "not_found")
    }

    /// The JSON body.
    public var json: String {
        let param = self.param.map { JSONString.quote($0) } ?? "null"
        return #"{"error":{"message":\#(JSONString.quote(message)),"type":\#(JSONString.quote(type)),"# +
            #""param":\#(param),"code":\#(JSONString.quote(code))}}"#
    }

    /// Status, code and message, for logs and test failures (never the request's text).
    public var description: String { "\(status.code) \(code): \(message)" }
}
