import Foundation

/// A fresh command id: the text of a random (version 4) UUID, its bits drawn from the standard library's system
/// generator (`getrandom`). Foundation's `UUID()` opens, reads and closes `/dev/urandom` on every call on Linux —
/// three system calls for every command.
public enum RandomCommandID {
    public static func next() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<2).flatMap { _ in withUnsafeBytes(of: generator.next() as UInt64, Array.init) }
        bytes[6] = bytes[6] & 0x0F | 0x40  // version 4
        bytes[8] = bytes[8] & 0x3F | 0x80  // the RFC 4122 variant
        let uuid = bytes.withUnsafeBytes { $0.loadUnaligned(as: uuid_t.self) }
        return UUID(uuid: uuid).uuidString
    }
}
