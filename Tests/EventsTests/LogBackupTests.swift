import Foundation
import Testing
import TestSupport

@testable import Events

@Suite("Backups")
struct LogBackupTests {
    private static let noon = Date(timeIntervalSince1970: 1_796_000_000)

    @Test("copies of one second and one position get names of their own, each a whole log at that position")
    func copiesOfOneSecondAndPosition() async throws {
        try await withTemporaryDirectory { directory in
            let log = try EventLog(directory: directory + "/store")
            for index in 1...20 { _ = try await log.append(request([event("s-\(index % 3)", "\(index)")])) }
            let first = try log.backup(into: directory + "/backups", at: Self.noon)
            let second = try log.backup(into: directory + "/backups", at: Self.noon)
            #expect(first.path == directory + "/backups/1796000000-20")
            #expect(second.path == directory + "/backups/1796000000-20-2")
            #expect(first.position == 20 && second.position == 20)
            // Only the two copies remain: no partial directory, no lock file of the read-back.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/backups").sorted()
                == ["1796000000-20", "1796000000-20-2"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: first.path) == ["data.mdb"])
            let head = log.head
            await log.close()
            for backup in [first, second] {
                #expect(backup.bytes > 0 && backup.bytes == Self.fileSize(backup.path + "/data.mdb"))
                let (copyHead, verified) = try await Self.opened(backup)
                #expect(copyHead == head)
                #expect(verified)
            }
        }
    }

    @Test("copies asked for at once, while appends go on, all succeed, each named by the position it holds")
    func concurrentCopiesDuringAppends() async throws {
        try await withTemporaryDirectory { directory in
            let log = try EventLog(directory: directory + "/store")
            _ = try await log.append(request([event("s", "first")]))
            let backups = try await withThrowingTaskGroup(of: LogBackup?.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        guard index % 5 == 0 else {
                            _ = try await log.append(request([event("s-\(index)", "\(index)")]))
                            return nil
                        }
                        return try log.backup(into: directory + "/backups", at: Self.noon)
                    }
                }
                return try await group.reduce(into: [LogBackup]()) { if let backup = $1 { $0.append(backup) } }
            }
            #expect(backups.count == 8 && Set(backups.map(\.path)).count == 8)
            await log.close()
            for backup in backups {
                #expect(backup.path.hasPrefix(directory + "/backups/1796000000-\(backup.position)"))
                #expect(try await Self.opened(backup).head.position == backup.position)
            }
        }
    }

    @Test("a copy that cannot be written is a storage failure and leaves nothing behind")
    func failedCopy() async throws {
        try await withTemporaryDirectory { directory in
            let log = try EventLog(directory: directory + "/store")
            _ = try await log.append(request([event("s", "first")]))
            // A file where the backups' directory should be.
            FileManager.default.createFile(atPath: directory + "/backups", contents: Data("not a directory".utf8))
            #expect(throws: LogError.self) { try log.backup(into: directory + "/backups", at: Self.noon) }
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["backups", "store"])
            await log.close()
        }
    }

    /// The head of the copy `backup` made, opened as a log, and whether its chain verifies.
    private static func opened(_ backup: LogBackup) async throws -> (head: LogHead, verified: Bool) {
        let copy = try EventLog(directory: backup.path)
        let opened = (copy.head, try copy.verify().ok)
        await copy.close()
        return opened
    }

    private static func fileSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1
    }
}
