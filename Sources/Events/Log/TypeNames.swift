import Foundation

/// The event type names a read has met, each made into a `String` once: a log holds a few dozen types, so a
/// replay reuses the name it made instead of allocating and checking a new one for every entry.
struct TypeNames {
    /// How many names are kept; past it, names are made anew (a log of that many types is not expected).
    static let capacity = 128

    private var names: [String] = []
    /// The UTF-8 of each name, in the order of `names`.
    private var utf8s = ByteStrings()

    /// The name whose UTF-8 is `utf8`.
    mutating func name(_ utf8: UnsafeRawBufferPointer) -> String {
        if let found = utf8s.index(of: utf8) { return names[found] }
        let name = String(decoding: utf8, as: UTF8.self)
        if names.count < Self.capacity {
            names.append(name)
            utf8s.append(utf8)
        }
        return name
    }
}
