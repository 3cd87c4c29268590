import Foundation

/// A consistent, compacted copy of the store, written while the log stays live (as `POST /api/admin/backup`
/// answers it).
public struct LogBackup: Sendable, Equatable, Encodable {
    /// The copy's directory: `<UTC seconds>-<position>` under the directory asked for, with `-2`, `-3` … added
    /// when another copy of the same second and position took that name.
    public var path: String
    /// The newest entry the copy holds, read from the copy itself: entries committed while it was written may
    /// be in it, so this can be past the head at the moment the copy was asked for.
    public var position: UInt64
    /// The size of the copy's data file.
    public var bytes: Int
}

extension EventLog {
    /// Writes a compacted copy of the store (the log and every table beside it) under `directory` and names it by
    /// `time` and by the position it holds.
    ///
    /// The copy is written into a hidden directory of its own and renamed only once complete and read back, so a
    /// crash never leaves half a copy under a real name, and copies asked for at once never meet. Failures are
    /// `LogError`s: `diskFull` when there is no room, `storage` otherwise.
    public func backup(into directory: String, at time: Date) throws -> LogBackup {
        let partial = "\(directory)/.partial-\(RandomCommandID.next())"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try backup(to: partial)
            let position = try Self.headPosition(ofCopyAt: partial)
            let bytes = (try FileManager.default.attributesOfItem(atPath: partial + "/data.mdb")[.size] as? Int) ?? 0
            let name = "\(directory)/\(Int(time.timeIntervalSince1970))-\(position)"
            var attempt = 1
            while true {
                let path = attempt == 1 ? name : "\(name)-\(attempt)"
                // rename(2) will not put a directory over one that holds files: a taken name fails, atomically.
                if rename(partial, path) == 0 { return LogBackup(path: path, position: position, bytes: bytes) }
                guard errno == ENOTEMPTY || errno == EEXIST else { throw LMDBError(code: errno) }
                attempt += 1
            }
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw LogError(reporting: error)
        }
    }

    /// The head position of the store copied to `path`, read from the copy; the lock file opening it made goes.
    private static func headPosition(ofCopyAt path: String) throws -> UInt64 {
        let copy = try LMDBEnvironment(path: path, mapSize: 0, maxDatabases: maxDatabases, maxReaders: 1)
        defer {
            copy.close()
            try? FileManager.default.removeItem(atPath: path + "/lock.mdb")
        }
        return try copy.read { transaction in
            try LogDatabases(opening: copy, in: transaction).head(in: transaction).position
        }
    }
}
