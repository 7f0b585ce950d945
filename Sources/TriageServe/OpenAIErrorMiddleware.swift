import Hummingbird

/// Gives the errors Hummingbird answers by itself (no such route, wrong method, a body past the limit) the same
/// OpenAI JSON shape as every other error, so a client parses one error format whatever went wrong.
struct OpenAIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            let status = error.status
            let type = status.code >= 500 ? "server_error" : "invalid_request_error"
            let message: String
            switch status {
            case .notFound: message = "no route \(request.method.rawValue) \(request.uri.path); see GET /v1/models, POST /v1/triage, POST /v1/chat/completions"
            case .methodNotAllowed: message = "\(request.method.rawValue) is not allowed on \(request.uri.path)"
            default: message = status.reasonPhrase
            }
            let code = status == .notFound ? "not_found" : status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            return ServeRouter.error(APIError(status: status, message: message, type: type, code: code))
        }
    }
}
