import Crypto
import CryptoExtras
import Dispatch
import Foundation

/// Hashes and checks passwords with scrypt (swift-crypto's CryptoExtras, over BoringSSL): memory-hard, and
/// from the library we already trust for the log's hash chain rather than a second crypto dependency.
///
/// A stored hash names its own parameters (`scrypt$N$r$p$salt$hash`), so the cost can be raised later and old
/// hashes still verify. Hashing blocks for tens of milliseconds: it runs on a Dispatch queue, never on the
/// event loop or the concurrency pool.
public struct PasswordHasher: Sendable {
    /// scrypt's cost factor N (a power of two); memory is 128 · N · r bytes.
    public var cost: Int
    public var blockSize = 8
    public var parallelism = 1

    /// N = 2^15, r = 8: 32 MiB and about 0.1 s per hash here — OWASP's scrypt floor.
    public static let standard = PasswordHasher(cost: 1 << 15)
    /// For tests only: cheap, so a suite of logins runs in seconds.
    public static let fast = PasswordHasher(cost: 1 << 10)

    public init(cost: Int) {
        self.cost = cost
    }

    /// The stored form of `password`, with a fresh 16-byte salt.
    public func hash(_ password: String) async throws -> String {
        let salt = SecretTables.randomBytes(16)
        let (cost, blockSize, parallelism) = (self.cost, self.blockSize, self.parallelism)
        let key = try await Self.offloaded {
            try Self.derive(password, salt: salt, cost: cost, blockSize: blockSize, parallelism: parallelism)
        }
        return ["scrypt", "\(cost)", "\(blockSize)", "\(parallelism)", Data(salt).base64EncodedString(),
            Data(key).base64EncodedString()].joined(separator: "$")
    }

    /// Whether `password` matches `stored`, compared in constant time; false for anything unreadable.
    public static func verify(_ password: String, against stored: String) async -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let cost = Int(parts[1]), let blockSize = Int(parts[2]),
            let parallelism = Int(parts[3]), let salt = Data(base64Encoded: parts[4]),
            let expected = Data(base64Encoded: parts[5])
        else { return false }
        guard let key = try? await offloaded({
            try derive(password, salt: Array(salt), cost: cost, blockSize: blockSize, parallelism: parallelism)
        }) else { return false }
        return SymmetricKey(data: key) == SymmetricKey(data: expected)
    }

    private static func derive(_ password: String, salt: [UInt8], cost: Int, blockSize: Int, parallelism: Int) throws
        -> [UInt8]
    {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8), salt: salt, outputByteCount: 32, rounds: cost, blockSize: blockSize,
            parallelism: parallelism)
        return key.withUnsafeBytes { Array($0) }
    }

    private static let queue = DispatchQueue(label: "seal-hall.password-hashing", attributes: .concurrent)

    private static func offloaded<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result(catching: work)) }
        }
    }
}
