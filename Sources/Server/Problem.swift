import Events
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error answered as RFC 9457 problem+json: `{"type","title","status","detail","code"}`, and `errors` per
/// field for validation. `code` is a stable machine word clients may branch on.
public struct Problem: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var detail: String
    public var errors: [FieldError]
    /// Extra headers, e.g. `Retry-After` for 429.
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: String, detail: String, errors: [FieldError] = [],
        headers: HTTPFields = [:])
    {
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    static let unauthenticated = Problem(.unauthorized, code: "unauthenticated", detail: "请先登录")
    static func forbidden(_ detail: String = "无权进行此操作") -> Problem {
        Problem(.forbidden, code: "forbidden", detail: detail)
    }
    static func notFound(_ detail: String) -> Problem { Problem(.notFound, code: "not-found", detail: detail) }
    static func malformed(_ detail: String) -> Problem { Problem(.badRequest, code: "malformed", detail: detail) }
    static func invalid(_ field: String, _ message: String) -> Problem {
        Problem(.unprocessableContent, code: "validation", detail: message, errors: [FieldError(field, message)])
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: Any] = [
            "type": "https://seal-hall.example/problems/\(code)", "title": status.reasonPhrase,
            "status": status.code, "detail": detail, "code": code,
        ]
        if !errors.isEmpty {
            body["errors"] = errors.map { ["field": $0.field, "message": $0.message] }
        }
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
        var headers = self.headers
        headers[.contentType] = "application/problem+json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Problem {
    /// The problem an error thrown while answering stands for. Anything unforeseen is a 500 (and is logged by
    /// the middleware): no input a client sends should get there.
    static func from(_ error: any Error) -> Problem {
        switch error {
        case let problem as Problem: return problem
        case let rejection as Rejection: return from(rejection)
        case let error as LogError: return from(error)
        case is NIOTooManyBytesError:
            return Problem(.contentTooLarge, code: "too-large", detail: "请求体过大")
        case let error as HTTPError:
            switch error.status {
            case .notFound: return notFound("没有这个地址")
            case .methodNotAllowed: return Problem(.methodNotAllowed, code: "method-not-allowed", detail: "不支持此方法")
            case .contentTooLarge: return Problem(.contentTooLarge, code: "too-large", detail: "请求体过大")
            default: return Problem(error.status, code: "http-\(error.status.code)", detail: error.body ?? error.status.reasonPhrase)
            }
        default:
            return Problem(.internalServerError, code: "internal", detail: "服务器内部错误")
        }
    }

    static func from(_ rejection: Rejection) -> Problem {
        let status: HTTPResponse.Status = switch rejection {
        case .validation: .unprocessableContent
        case .notYourStep, .forbidden: .forbidden
        case .notFound: .notFound
        case .versionConflict, .invalidTransition, .sealNotActive, .alreadyExists: .conflict
        }
        let errors: [FieldError] = if case .validation(let errors) = rejection { errors } else { [] }
        return Problem(status, code: rejection.code, detail: rejection.message, errors: errors)
    }

    static func from(_ error: LogError) -> Problem {
        switch error {
        case .idempotencyKeyReused:
            Problem(.unprocessableContent, code: "idempotency-key-reused", detail: "该 Idempotency-Key 已用于另一个请求")
        case .wrongExpectedVersion:
            Problem(.conflict, code: "version-conflict", detail: "数据已被更新，请刷新后重试")
        case .invalidRequest(let reason):
            Problem(.unprocessableContent, code: "validation", detail: reason)
        case .diskFull, .corruptEntry, .closed, .storage:
            Problem(.serviceUnavailable, code: "storage-unavailable", detail: "存储暂不可用，请稍后重试")
        }
    }
}
