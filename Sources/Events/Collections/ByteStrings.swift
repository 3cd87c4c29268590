/// Short byte strings kept end to end in one buffer and found again by their bytes, without a `String` made of
/// the bytes looked up: the event type names a read has met (`TypeNames`), an enumeration's raw values
/// (`RawValueTable`).
struct ByteStrings: Sendable {
    /// Every string's bytes, one after another; `ends[i]` is where string `i` ends.
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    var count: Int { ends.count }

    /// Adds `string` after the last one, as string `count`.
    mutating func append(_ string: some Sequence<UInt8>) {
        bytes.append(contentsOf: string)
        ends.append(bytes.count)
    }

    /// The index of the first string whose bytes are `wanted`; nil when none is.
    func index(of wanted: UnsafeRawBufferPointer) -> Int? {
        bytes.withUnsafeBytes { known in
            var start = 0
            for (index, end) in ends.enumerated() {
                defer { start = end }
                guard end - start == wanted.count else { continue }
                if wanted.isEmpty { return index }
                if let base = known.baseAddress, bytesEqual(wanted, base + start) { return index }
            }
            return nil
        }
    }
}
