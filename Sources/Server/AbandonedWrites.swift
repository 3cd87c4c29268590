import Foundation

/// What a crash can leave in the data directory: uploads and backups cut off mid-write, under names no reader
/// ever looks at (`attachments/tmp/*`, `backups/.partial-*`). The store removes those untouched for an hour when
/// it opens — not younger ones, which another process using the same store may still be writing.
enum AbandonedWrites {
    /// How long a write must have been untouched to count as abandoned.
    static let age: TimeInterval = 3600

    /// Removes the abandoned writes under the data directory `directory` as of `now` (the files' own clock, not
    /// the hall's), and returns their paths.
    @discardableResult
    static func remove(in directory: String, now: Date = Date()) -> [String] {
        let files = FileManager.default
        let uploads = (try? files.contentsOfDirectory(atPath: directory + "/attachments/tmp")) ?? []
        let backups = ((try? files.contentsOfDirectory(atPath: directory + "/backups")) ?? []).filter {
            $0.hasPrefix(".partial-")
        }
        let candidates = uploads.map { "\(directory)/attachments/tmp/\($0)" } + backups.map { "\(directory)/backups/\($0)" }
        var removed = [String]()
        for path in candidates where now.timeIntervalSince(lastWritten(path)) > age {
            if (try? files.removeItem(atPath: path)) != nil { removed.append(path) }
        }
        return removed
    }

    /// When `path`, or for a directory anything directly in it, was last changed.
    private static func lastWritten(_ path: String) -> Date {
        let files = FileManager.default
        let inside = ((try? files.contentsOfDirectory(atPath: path)) ?? []).map { path + "/" + $0 }
        return ([path] + inside).compactMap { try? files.attributesOfItem(atPath: $0)[.modificationDate] as? Date }
            .max() ?? .distantPast
    }
}
