import Foundation
import Testing

@testable import Events

/// Hexadecimal text, from contiguous bytes and from any other sequence alike.
@Suite struct HexTests {
    @Test("every byte value as two lowercase digits, from arrays, raw buffers and lazy sequences")
    func everyByte() {
        let bytes = (0...255).map(UInt8.init)
        let expected = bytes.map { String(format: "%02x", $0) }.joined()
        #expect(Hex.encode(bytes) == expected)
        #expect(bytes.withUnsafeBytes { Hex.encode($0) } == expected)
        #expect(Hex.encode((0...255).lazy.map(UInt8.init)) == expected)
        #expect(Hex.encode([UInt8]()) == "")
        #expect(Hex.encode(bytes.reversed().prefix(2)) == "fffe")
    }
}
