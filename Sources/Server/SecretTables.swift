import Crypto
import Events
import Foundation

/// The tables that hold secrets beside the log, never in it: password hashes, the hashes of one-time activation
/// codes, and sessions by the hash of their token. They are not derived from the log and are not rebuilt; a
/// backup copies them with the rest of the store.
enum SecretTables {
    static let passwords = "secret:passwords"
    static let activationCodes = "secret:activation-codes"
    static let sessions = "secret:sessions"
    static let all = [passwords, activationCodes, sessions]

    static func key(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// SHA-256 of `secret`, hex: what is stored of a token or code.
    static func digest(_ secret: String) -> String {
        SHA256.hash(data: Array(secret.utf8)).withUnsafeBytes { Hex.encode($0) }
    }

    /// `count` bytes from the system's secure generator, eight per call to it (each call is a system call).
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(count + 7)
        while bytes.count < count {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        return Array(bytes.prefix(count))
    }

    /// `byteCount` random bytes as base64url without padding: tokens and codes.
    static func randomToken(byteCount: Int = 32) -> String {
        let base64 = Data(randomBytes(byteCount)).base64EncodedString().utf8
        return String(decoding: base64.compactMap { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "+"): UInt8(ascii: "-")
            case UInt8(ascii: "/"): UInt8(ascii: "_")
            case UInt8(ascii: "="): nil
            default: byte
            }
        }, as: UTF8.self)
    }

    /// An activation code people can type: 12 characters without look-alikes.
    static func activationCode() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<12).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}

extension LogWriteSession {
    /// Stores `hash` as the password hash of `account`.
    mutating func setPasswordHash(_ hash: String, of account: String) throws {
        try setTableValue(SecretTables.passwords, key: SecretTables.key(account), value: Array(hash.utf8))
    }

    /// Stores the digest of `code` as the pending activation code of `account`.
    mutating func setActivationCode(_ code: String, of account: String) throws {
        try setTableValue(
            SecretTables.activationCodes, key: SecretTables.key(account),
            value: Array(SecretTables.digest(code).utf8))
    }

    /// Takes the activation code of `account`: true (and it is gone) when `code` is it.
    mutating func consumeActivationCode(_ code: String, of account: String) throws -> Bool {
        guard let stored = try tableValue(SecretTables.activationCodes, key: SecretTables.key(account)) else {
            return false
        }
        let expected = SymmetricKey(data: stored)
        guard expected == SymmetricKey(data: Array(SecretTables.digest(code).utf8)) else { return false }
        try setTableValue(SecretTables.activationCodes, key: SecretTables.key(account), value: nil)
        return true
    }
}
