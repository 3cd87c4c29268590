import Foundation
import Testing

@testable import Events

/// Command ids drawn without Foundation's `UUID()`: still version 4 UUIDs, and never the same twice.
@Suite struct RandomCommandIDTests {
    @Test("command ids are distinct version 4 UUIDs with the RFC 4122 variant")
    func versionFourUUIDs() throws {
        var seen = Set<String>()
        // 160,000 bytes: the pool of random bytes is refilled about forty times.
        for _ in 0..<10_000 {
            let id = RandomCommandID.next()
            let parsed = try #require(UUID(uuidString: id))
            #expect(parsed.uuidString == id, "written as Foundation writes it: \(id)")
            let uuid = parsed.uuid
            #expect(uuid.6 >> 4 == 4, "\(id)")
            #expect(uuid.8 >> 6 == 0b10, "\(id)")
            #expect(seen.insert(id).inserted)
        }
        // Every other bit varies: over 10,000 ids, each of the 122 random bits was seen both set and clear.
        let bytes = seen.compactMap { UUID(uuidString: $0) }.map { withUnsafeBytes(of: $0.uuid, Array.init) }
        let fixed: [Int: UInt8] = [6: 0xF0, 8: 0xC0]
        for index in 0..<16 {
            let ones = bytes.reduce(UInt8(0)) { $0 | $1[index] }
            let zeros = bytes.reduce(UInt8(0)) { $0 | ~$1[index] }
            #expect(ones & zeros | (fixed[index] ?? 0) == 0xFF, "byte \(index)")
        }
    }
}
