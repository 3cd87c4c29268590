import Events
import Foundation
import Hummingbird
import NIOCore

/// Reads a request's JSON body under the API's limits, so that no body a client sends gets further than a
/// precise 400, 413, 415 or 422:
/// - not `application/json` → 415; more than 1 MiB → 413, refused by `Content-Length` before reading or cut off
///   while reading;
/// - not JSON at all → 400; a string longer than `maxStringLength` or holding control characters → 422 naming
///   the field;
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
        let data = Data(buffer: buffer)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw Problem.malformed("请求体不是有效的 JSON")
        }
        try checkStrings(in: object, path: "")
        do {
            return try HallJSON.decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw problem(for: error)
        }
    }

    /// Walks the parsed body for strings that are too long or hold control characters (tab and line breaks
    /// are allowed in free text).
    private static func checkStrings(in object: Any, path: String) throws {
        switch object {
        case let text as String:
            guard text.count <= maxStringLength else {
                throw Problem.invalid(path.isEmpty ? "body" : path, "文本不得超过 \(maxStringLength) 个字符")
            }
            guard !text.unicodeScalars.contains(where: isForbiddenControl) else {
                throw Problem.invalid(path.isEmpty ? "body" : path, "文本不得含有控制字符")
            }
        case let array as [Any]:
            for (index, element) in array.enumerated() { try checkStrings(in: element, path: "\(path)[\(index)]") }
        case let dictionary as [String: Any]:
            for (key, value) in dictionary {
                try checkStrings(in: key, path: path)
                try checkStrings(in: value, path: path.isEmpty ? key : "\(path).\(key)")
            }
        default:
            return
        }
    }

    /// C0 and C1 control characters and DEL, except tab and line breaks.
    private static func isForbiddenControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F...0x9F: true
        default: false
        }
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
