import Foundation

/// RFC 3339 times in UTC with six fractional digits, e.g. `2026-11-29T01:02:03.456789Z`: exactly the
/// microseconds the log records, written and read back without loss.
enum RFC3339 {
    static func string(from date: Date) -> String {
        let micros = Microseconds.from(date)
        let seconds = micros.floorDivided(by: 1_000_000)
        let fraction = micros - seconds * 1_000_000
        let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
        let digits = String(fraction)
        return whole.dropLast() + "." + String(repeating: "0", count: 6 - digits.count) + digits + "Z"
    }

    static func date(from text: String) -> Date? {
        guard text.hasSuffix("Z") else { return nil }
        let parts = text.dropLast().split(separator: ".", maxSplits: 1)
        guard let whole = try? Date.ISO8601FormatStyle().parse(parts[0] + "Z") else { return nil }
        var micros = Microseconds.from(whole)
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...6).contains(fraction.count), let value = Int64(fraction), value >= 0 else { return nil }
            micros += value * Int64(pow(10, Double(6 - fraction.count)))
        }
        return Microseconds.date(micros)
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return self % divisor < 0 ? quotient - 1 : quotient
    }
}
