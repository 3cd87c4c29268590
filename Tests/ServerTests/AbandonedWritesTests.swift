import Foundation
import Server
import TestSupport
import Testing

/// Uploads and backups a crash cut off are removed when the store opens, once they are an hour old.
@Suite struct AbandonedWritesTests {
    @Test func theStoreRemovesWritesACrashLeftOnceTheyAreAnHourOld() async throws {
        try await withTemporaryDirectory { directory in
            let files = FileManager.default
            let twoHoursAgo = Date(timeIntervalSinceNow: -7_200)
            func write(_ path: String, touched: Date? = nil) throws {
                try files.createDirectory(
                    atPath: (directory + "/" + path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                #expect(files.createFile(atPath: directory + "/" + path, contents: Data("partial".utf8)))
                if let touched { try files.setAttributes([.modificationDate: touched], ofItemAtPath: directory + "/" + path) }
            }
            try write("attachments/tmp/old-upload", touched: twoHoursAgo)
            try write("attachments/tmp/new-upload")
            try write("backups/.partial-old/data.mdb", touched: twoHoursAgo)
            try files.setAttributes([.modificationDate: twoHoursAgo], ofItemAtPath: directory + "/backups/.partial-old")
            try write("backups/.partial-new/data.mdb")
            try files.setAttributes([.modificationDate: twoHoursAgo], ofItemAtPath: directory + "/backups/.partial-new")
            try write("backups/1796000000-42/data.mdb", touched: twoHoursAgo)
            try write("attachments/" + String(repeating: "ab", count: 32), touched: twoHoursAgo)

            let store = try await HallStore.open(directory: directory, hasher: .fast)
            await store.close()

            #expect(try files.contentsOfDirectory(atPath: directory + "/attachments/tmp") == ["new-upload"])
            // A partial backup still being written counts by its data file, whatever its directory's time.
            #expect(try files.contentsOfDirectory(atPath: directory + "/backups").sorted() == [".partial-new", "1796000000-42"])
            #expect(files.fileExists(atPath: directory + "/attachments/" + String(repeating: "ab", count: 32)))
        }
    }
}
