import Crypto
import Events
import Foundation
import Hummingbird
import NIOCore
import Projections

/// Uploaded files, stored once by their SHA-256 in `<data>/attachments/`, beside the log and never in it.
///
/// An upload is streamed to a temporary file while it is hashed, fsynced, and renamed to its hash, so a crash
/// never leaves a half file under a real name. Its kind is checked by content (PDF, PNG, JPEG, Office), not
/// by the name the client gives. A file is served to its uploader and to whoever may read an application that
/// names it (as an attachment, a scan of a stamped document, or a new seal's imprint).
struct Attachments {
    static let maxSize = 20 << 20
    let directory: String
    let store: HallStore

    struct Stored: Codable {
        var sha256: String
        var size: Int
        var name: String
        var contentType: String
        var uploadedBy: String
    }

    func register(in routes: RouteTable) {
        routes.post("/api/attachments", upload)
        routes.get("/api/attachments/{sha256}", download)
    }

    @Sendable func upload(_ request: Request, context: HallContext) async throws -> Response {
        let account = try context.requireAccount()
        if let length = request.headers[.contentLength].flatMap(Int.init), length > Self.maxSize {
            throw Problem(.contentTooLarge, code: "too-large", detail: "附件不得超过 20 MiB")
        }
        let rawName = request.headers[.init("X-File-Name")!] ?? ""
        let name = rawName.removingPercentEncoding ?? rawName
        guard !name.isEmpty, name.count <= 255, !name.contains("/"),
            !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw Problem.invalid("X-File-Name", "文件名须为 1 至 255 个字符，且不含斜杠和控制字符") }
        try FileManager.default.createDirectory(atPath: directory + "/tmp", withIntermediateDirectories: true)
        let temporary = "\(directory)/tmp/\(SecretTables.randomToken(byteCount: 12))"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else { throw Problem(.serviceUnavailable, code: "storage-unavailable", detail: "无法保存附件") }
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        var hasher = SHA256()
        var size = 0
        var head = [UInt8]()
        do {
            defer { try? handle.close() }
            for try await buffer in request.body {
                size += buffer.readableBytes
                guard size <= Self.maxSize else { throw Problem(.contentTooLarge, code: "too-large", detail: "附件不得超过 20 MiB") }
                let bytes = Array(buffer.readableBytesView)
                if head.count < 8 { head += bytes.prefix(8 - head.count) }
                hasher.update(data: bytes)
                try handle.write(contentsOf: bytes)
            }
            try handle.synchronize()
        }
        guard size > 0 else { throw Problem.invalid("body", "附件不能为空") }
        guard let contentType = Self.contentType(of: head) else {
            throw Problem(.unsupportedMediaType, code: "unsupported-media-type", detail: "只接受 PDF、图片（PNG/JPEG）和 Office 文档")
        }
        let sha256 = Hex.encode(hasher.finalize())
        let target = "\(directory)/\(sha256)"
        if !FileManager.default.fileExists(atPath: target) {
            guard rename(temporary, target) == 0 else {
                throw Problem(.serviceUnavailable, code: "storage-unavailable", detail: "无法保存附件")
            }
        }
        let stored = Stored(sha256: sha256, size: size, name: name, contentType: contentType, uploadedBy: account)
        if !FileManager.default.fileExists(atPath: target + ".json") {
            try JSONEncoder().encode(stored).write(to: URL(fileURLWithPath: target + ".json"), options: .atomic)
        }
        return try HallJSON.response(stored, status: .created, headers: [.location: "/api/attachments/\(sha256)"])
    }

    @Sendable func download(_ request: Request, context: HallContext) async throws -> Response {
        let account = try context.requireAccount()
        let sha256 = context.parameter("sha256")
        guard sha256.count == 64, sha256.allSatisfy(\.isHexDigit),
            let data = FileManager.default.contents(atPath: "\(directory)/\(sha256).json"),
            let stored = try? JSONDecoder().decode(Stored.self, from: data),
            try stored.uploadedBy == account || mayRead(sha256, account: account),
            let bytes = FileManager.default.contents(atPath: "\(directory)/\(sha256)")
        else { throw Problem.notFound("没有附件 \(sha256)") }
        return Response(
            status: .ok, headers: [.contentType: stored.contentType, .contentLength: "\(bytes.count)"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Whether `account` may read an application that names the file: as an attachment, a scan of the stamped
    /// document, or the imprint of a seal it names. Reads only the applications that name it (the
    /// `attachment-references` read model), and stops at the first the reader may read.
    private func mayRead(_ sha256: String, account: String) throws -> Bool {
        let (reader, imprinting) = store.processor.withState { state in
            (state.accounts[account], Set(state.seals.filter { $0.value.imprint == sha256 }.keys))
        }
        guard let reader else { return false }
        for id in try AttachmentReferencesProjection.applications(naming: sha256, orUsing: imprinting, from: store.engine) {
            let readable = try store.processor.withApplication(id) { application, state in
                ApplicationAccess.mayRead(application, account: reader, state: state)
            }
            if readable == true { return true }
        }
        return false
    }

    /// The file's type from its first bytes, or nil for anything not accepted.
    static func contentType(of head: [UInt8]) -> String? {
        if head.starts(with: Array("%PDF".utf8)) { return "application/pdf" }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "application/vnd.openxmlformats-officedocument" }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { return "application/msword" }
        return nil
    }
}
