import Foundation
import Glibc
import Synchronization

/// A fresh command id: the text of a random (version 4) UUID, its bits read from the kernel's generator 4 KiB at
/// a time. Foundation's `UUID()` opens, reads and closes `/dev/urandom` on every call on Linux, and even the
/// standard library's generator makes a system call (`getrandom`) for every eight bytes.
public enum RandomCommandID {
    private static let pool = Mutex(RandomPool())
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    public static func next() -> String {
        var bytes = pool.withLock { $0.take16() }
        bytes.6 = bytes.6 & 0x0F | 0x40  // version 4
        bytes.8 = bytes.8 & 0x3F | 0x80  // the RFC 4122 variant
        return withUnsafeBytes(of: bytes) { raw in
            String(unsafeUninitializedCapacity: 36) { text in
                var at = 0
                for (index, byte) in raw.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[at] = UInt8(ascii: "-")
                        at += 1
                    }
                    text[at] = hexDigits[Int(byte >> 4)]
                    text[at + 1] = hexDigits[Int(byte & 0x0F)]
                    at += 2
                }
                return at
            }
        }
    }
}

/// Random bytes read from the kernel's generator (`/dev/urandom`, kept open) 4 KiB at a time and handed out 16
/// at a time.
private struct RandomPool {
    private var bytes = [UInt8](repeating: 0, count: 4096)
    private var used = 4096
    private var device: Int32 = -1

    mutating func take16() -> uuid_t {
        if used + 16 > bytes.count {
            refill()
            used = 0
        }
        defer { used += 16 }
        return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: used, as: uuid_t.self) }
    }

    private mutating func refill() {
        if device < 0 { device = open("/dev/urandom", O_RDONLY | O_CLOEXEC) }
        precondition(device >= 0, "/dev/urandom cannot be opened")
        var filled = 0
        while filled < bytes.count {
            let read = bytes.withUnsafeMutableBytes { Glibc.read(device, $0.baseAddress! + filled, $0.count - filled) }
            precondition(read > 0 || errno == EINTR, "/dev/urandom cannot be read")
            filled += max(read, 0)
        }
    }
}
