import Foundation

/// The event type names a read has met, each made into a `String` once: a log holds a few dozen types, so a
/// replay reuses the name it made instead of allocating and checking a new one for every entry.
struct TypeNames {
    /// How many names are kept; past it, names are made anew (a log of that many types is not expected).
    static let capacity = 128

    private var names: [String] = []
    /// The UTF-8 of each name, end to end, and where each ends.
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    /// The name whose UTF-8 is `utf8`.
    mutating func name(_ utf8: UnsafeRawBufferPointer) -> String {
        let found = bytes.withUnsafeBytes { known -> Int? in
            var start = 0
            for (index, end) in ends.enumerated() {
                defer { start = end }
                guard end - start == utf8.count else { continue }
                if utf8.isEmpty || memcmp(known.baseAddress! + start, utf8.baseAddress!, utf8.count) == 0 {
                    return index
                }
            }
            return nil
        }
        if let found { return names[found] }
        let name = String(decoding: utf8, as: UTF8.self)
        if names.count < Self.capacity {
            names.append(name)
            bytes.append(contentsOf: utf8)
            ends.append(bytes.count)
        }
        return name
    }
}
