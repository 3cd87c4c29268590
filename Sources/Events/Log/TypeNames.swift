import Foundation

/// The event types a read has met, each name made into a `String` once: a log holds a few dozen types, so a
/// replay reuses the name it made instead of allocating and checking a new one for every entry. Each type also
/// keeps its place among them (`EventRecordView.typeIndex`), by which a replay finds what it needs of a type
/// once per read rather than hashing its name for every entry, and the schema versions it is upcast from.
struct TypeNames {
    /// How many types are kept; past it, names are made anew (a log of that many types is not expected).
    static let capacity = 128

    private let upcasters: UpcasterChain
    private var names: [String] = []
    /// The UTF-8 of each name, in the order of `names`.
    private var utf8s = ByteStrings()
    /// Of each name, the schema versions `upcasters` upcast it from: for most, none.
    private var upcastVersions: [[UInt16]] = []

    init(upcasters: UpcasterChain) {
        self.upcasters = upcasters
    }

    /// The type whose name's UTF-8 is `utf8`: its name, and its place among the types met (nil past `capacity`).
    mutating func type(_ utf8: UnsafeRawBufferPointer) -> (name: String, index: Int?) {
        if let found = utf8s.index(of: utf8) { return (names[found], found) }
        let name = String(decoding: utf8, as: UTF8.self)
        guard names.count < Self.capacity else { return (name, nil) }
        names.append(name)
        utf8s.append(utf8)
        upcastVersions.append(upcasters.versions(upcasting: name))
        return (name, names.count - 1)
    }

    /// Whether an entry of type `name`, at `index` among the types met, stored at schema `version` is upcast on
    /// read.
    func upcasts(_ name: String, at index: Int?, from version: UInt16) -> Bool {
        guard let index else { return upcasters.upcasts(name, from: version) }
        return upcastVersions[index].contains(version)
    }
}
