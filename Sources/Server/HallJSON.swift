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

    /// RFC 3339 in Shanghai time, to the (truncated) second: `2026-03-02T09:10:00+08:00`.
    ///
    /// Shanghai has kept UTC+08:00 all year since 1992, so those times are written by hand: every answer holds
    /// several, and Foundation's format style cost microseconds each. Earlier times (summer time ran 1986–1991)
    /// and years past 9999 go through Foundation's calendar.
    static func format(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard seconds >= 694_224_000, seconds < 253_402_300_800 - 8 * 3600 else { return date.formatted(shanghaiStyle) }
        let local = Int(seconds) + 8 * 3600
        let (year, month, day) = civilDate(daysSince1970: local / 86_400)
        let second = local % 86_400
        var text = [UInt8]()
        text.reserveCapacity(25)
        func digits(_ value: Int, _ count: Int, then separator: Character?) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                text.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
            if let separator { text.append(separator.asciiValue!) }
        }
        digits(year, 4, then: "-")
        digits(month, 2, then: "-")
        digits(day, 2, then: "T")
        digits(second / 3600, 2, then: ":")
        digits(second / 60 % 60, 2, then: ":")
        digits(second % 60, 2, then: nil)
        text.append(contentsOf: "+08:00".utf8)
        return String(decoding: text, as: UTF8.self)
    }

    /// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civilDate(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfYear - (153 * monthIndex + 2) / 5 + 1)
    }

    private static let shanghaiStyle = Date.ISO8601FormatStyle(
        timeZoneSeparator: .colon, timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
            return date
        }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
        let dateOnly = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "Asia/Shanghai")!).year().month().day()
        return try? Date(text, strategy: dateOnly)
    }

    /// A 200 (or `status`) answer with `value` written by hand (`JSONOutput`).
    static func response(writing value: some JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        response(body: ByteBuffer(bytes: JSONOutput.bytes(of: value)), status: status, headers: headers)
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
