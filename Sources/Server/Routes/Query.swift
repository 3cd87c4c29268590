import Events
import Hummingbird

/// Typed access to a request's query, each bad value a 400 naming the parameter.
struct Query {
    let request: Request

    func string(_ name: String) -> String? {
        request.uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    func int(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = string(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw Problem(.badRequest, code: "malformed", detail: "查询参数 \(name) 应为 \(range.lowerBound)…\(range.upperBound) 的整数")
        }
        return number
    }

    func position(_ name: String) throws -> UInt64? {
        guard let text = string(name) else { return nil }
        guard let number = UInt64(text) else {
            throw Problem(.badRequest, code: "malformed", detail: "查询参数 \(name) 应为日志位置")
        }
        return number
    }

    func value<T: RawRepresentable>(_ name: String, as type: T.Type) throws -> T? where T.RawValue == String {
        guard let text = string(name) else { return nil }
        guard let value = T(rawValue: text) else {
            throw Problem(.badRequest, code: "malformed", detail: "查询参数 \(name) 的取值 \(text) 无效")
        }
        return value
    }

    func bool(_ name: String) throws -> Bool {
        guard let text = string(name) else { return false }
        switch text {
        case "true", "1": return true
        case "false", "0": return false
        default: throw Problem(.badRequest, code: "malformed", detail: "查询参数 \(name) 应为 true 或 false")
        }
    }
}

extension HallContext {
    /// The path parameter `name` (the router matched it, so it is there).
    func parameter(_ name: String) -> String {
        parameters.get(name) ?? ""
    }
}
