import Events
import Foundation
import Glibc

/// Where the read models' tables live: an LMDB environment of their own, `read-models/` in the log's directory.
///
/// Apart from the log's, the serial decider's commits carry only the log and the decider's state, and the read
/// models commit on a writer thread of their own while the decider goes on (an `EventLog` whose log stays empty:
/// only its derived tables and its group-committing writer are used).
///
/// Its commits are not synced (`MDB_NOSYNC`): everything in it is derived from the log, whose commits are, and a
/// lagging store catches up from the log when it opens. A process that dies leaves the page cache, and so the
/// store, whole; only a machine that stops can leave unsynced pages torn. So the store notes the boot it is
/// written under in `unsynced-boot` before its first write, and removes the note once it closes after a sync; a
/// store that opens still marked with another boot is dropped and built again from the log.
enum ReadModelStore {
    /// The store's directory inside the log's.
    static func directory(of log: EventLog) -> String {
        log.directory + "/read-models"
    }

    /// Opens the store beside `log`, dropping it first when a machine restart may have torn it.
    static func open(besides log: EventLog) throws -> EventLog {
        let directory = directory(of: log)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let note = directory + "/unsynced-boot"
        let boot = try bootId()
        if let noted = FileManager.default.contents(atPath: note), noted != Data(boot.utf8) {
            for file in ["data.mdb", "lock.mdb"] where FileManager.default.fileExists(atPath: directory + "/" + file) {
                try FileManager.default.removeItem(atPath: directory + "/" + file)
            }
        }
        try durablyWrite(Data(boot.utf8), to: note)
        var options = LogOptions()
        options.syncsEachCommit = false
        options.writerThreadName = "models-writer"
        return try EventLog(directory: directory, options: options)
    }

    /// Syncs and closes `store`, then removes its note: it is whole on disk.
    static func close(_ store: EventLog) async {
        await store.close()
        try? FileManager.default.removeItem(atPath: store.directory + "/unsynced-boot")
    }

    /// The running kernel's boot id, which changes at every boot.
    static func bootId() throws -> String {
        try String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes `data` to `path` and syncs it and its directory, so the note is on disk before the store it guards
    /// is written.
    private static func durablyWrite(_ data: Data, to path: String) throws {
        try data.write(to: URL(fileURLWithPath: path))
        for file in [path, (path as NSString).deletingLastPathComponent] {
            let descriptor = Glibc.open(file, O_RDONLY)
            guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
            defer { Glibc.close(descriptor) }
            guard fsync(descriptor) == 0 else { throw CocoaError(.fileWriteUnknown) }
        }
    }
}
