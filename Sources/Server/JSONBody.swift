import Events
import Foundation
import Hummingbird
import NIOCore

/// Reads a request's JSON body under the API's limits, so that no body a client sends gets further than a
/// precise 400, 413, 415 or 422:
/// - not `application/json` → 415; more than 1 MiB → 413, refused by `Content-Length` before reading or cut off
///   while reading;
/// - a string longer than `maxStringLength` or holding control characters → 422 naming the field (checked in
///   one pass over the bytes, `JSONStringCheck`); not JSON at all → 400;
/// - a missing field, a wrong type or an unknown enum value → 422 naming the field.
enum JSONBody {
    static let maxSize = 1 << 20
    static let maxStringLength = 4_000

    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        try decode(type, from: try await bytes(of: request))
    }

    static func bytes(of request: Request) async throws -> ByteBuffer {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/json") else {
            throw Problem(.unsupportedMediaType, code: "unsupported-media-type", detail: "请求体须为 application/json")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxSize {
            throw Problem(.contentTooLarge, code: "too-large", detail: "请求体不得超过 1 MiB")
        }
        return try await request.body.collect(upTo: maxSize)
    }

    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        // A body read by hand holds no string the check would refuse (`JSONTranscoder` refuses them itself).
        if let value = plainBody(type, from: buffer) { return value }
        do {
            try JSONStringCheck(maxLength: maxStringLength).check(buffer.readableBytesView)
        } catch {
            throw Problem.invalid(
                error.path, error.tooLong ? "文本不得超过 \(maxStringLength) 个字符" : "文本不得含有控制字符")
        }
        do {
            return try HallJSON.decoder.decode(type, from: Data(buffer: buffer))
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw Problem.malformed("请求体不是有效的 JSON")
        } catch let error as DecodingError {
            throw problem(for: error)
        }
    }

    /// The body read by hand (`JSONTranscoder`, then `BinaryReadable`) when its type has a hand-written reading
    /// and the body is plain JSON, within the string limits, that reads without error; otherwise nil, and the
    /// check and `JSONDecoder` read it.
    static func plainBody<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) -> T? {
        guard type is any BinaryReadable.Type,
            let binary = buffer.withUnsafeReadableBytes({ JSONTranscoder.binary($0, maxStringLength: maxStringLength) })
        else { return nil }
        return try? BinaryDecoder().decode(type, from: binary)
    }

    /// A decoding failure as 422, naming the field by its path (`form.seals[0]`).
    static func problem(for error: DecodingError) -> Problem {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (last.map { [$0] } ?? [])
            var text = ""
            for key in keys {
                if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : ".\(key.stringValue)" }
            }
            return text.isEmpty ? "body" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .invalid(path(context.codingPath, key), "缺少必填字段")
        case .valueNotFound(_, let context):
            return .invalid(path(context.codingPath), "此字段不能为空")
        case .typeMismatch(let type, let context):
            return .invalid(path(context.codingPath), "类型不正确，应为 \(typeName(type))")
        case .dataCorrupted(let context):
            return .invalid(path(context.codingPath), "取值无效")
        @unknown default:
            return .invalid("body", "请求体无效")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "字符串"
        case is Int.Type, is Double.Type: "数字"
        case is Bool.Type: "布尔值"
        case is [Any].Type: "数组"
        default: "对象"
        }
    }
}
