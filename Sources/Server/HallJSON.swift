import Foundation
import Hummingbird
import NIOCore

/// How the API writes and reads JSON: camelCase as the types name it, times as RFC 3339 in Asia/Shanghai time
/// (`2026-03-02T09:10:00+08:00`) on the way out; on the way in any RFC 3339 time with an offset, or a plain date
/// (`2026-03-02`, midnight in Shanghai). Keys are sorted: Foundation's encoder otherwise writes them in hash order,
/// which differs from one process to the next, and the same state must read the same after a restart.
enum HallJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(format(date))
        }
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "不是有效的时间：\(text)")
            }
            return date
        }
        return decoder
    }()

    /// RFC 3339 in Shanghai time, to the second.
    static func format(_ date: Date) -> String {
        date.formatted(shanghaiStyle)
    }

    private static let shanghaiStyle = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
            return date
        }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
        let dateOnly = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "Asia/Shanghai")!).year().month().day()
        return try? Date(text, strategy: dateOnly)
    }

    /// A 200 (or `status`) answer with `value` as JSON.
    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws
        -> Response
    {
        response(body: ByteBuffer(bytes: try encoder.encode(value)), status: status, headers: headers)
    }

    /// A 200 (or `status`) answer whose body is JSON already.
    static func response(body: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }
}
