import CLMDB
import Foundation

/// An open LMDB environment: a directory holding `data.mdb` and `lock.mdb`, opened once per process.
///
/// Every transaction runs inside a closure and holds the environment's transaction lock shared, so that
/// `growMap(to:)` can take it exclusively and resize the map while no transaction of this process is active,
/// as LMDB requires. Environments are opened with `MDB_NOTLS`, so read transactions may run on any thread
/// (Swift tasks hop threads); write transactions stay on the one thread that owns the writer.
final class LMDBEnvironment: @unchecked Sendable {
    let handle: OpaquePointer
    let path: String
    private let transactionLock = ReadWriteLock()
    /// Set once, under the exclusive lock; read under the shared one.
    private var isClosed = false
    /// False for a bulk load that syncs once when closed instead of at every commit.
    private let syncsEachCommit: Bool

    /// The sizes the memory map is measured by.
    struct MapUsage {
        let mapSize: Int
        let usedBytes: Int
        let pageSize: Int
    }

    init(path: String, mapSize: Int, maxDatabases: UInt32, maxReaders: UInt32, syncsEachCommit: Bool = true) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var pointer: OpaquePointer?
        try lmdbCheck(mdb_env_create(&pointer))
        guard let handle = pointer else { throw LMDBError(code: ENOMEM) }
        do {
            try lmdbCheck(mdb_env_set_maxdbs(handle, maxDatabases))
            try lmdbCheck(mdb_env_set_maxreaders(handle, maxReaders))
            // A map smaller than the file would refuse to open a store that grew in an earlier run.
            let fileSize = Self.dataFileSize(in: path)
            try lmdbCheck(mdb_env_set_mapsize(handle, max(mapSize, fileSize)))
            try lmdbCheck(mdb_env_open(handle, path, UInt32(MDB_NOTLS | (syncsEachCommit ? 0 : MDB_NOSYNC)), 0o640))
            var deadReaders: Int32 = 0
            try lmdbCheck(mdb_reader_check(handle, &deadReaders))
        } catch {
            mdb_env_close(handle)
            throw error
        }
        self.handle = handle
        self.path = path
        self.syncsEachCommit = syncsEachCommit
    }

    /// Closes the environment; transactions asked for afterwards throw `LogError.closed`.
    func close() {
        transactionLock.withExclusiveLock {
            guard !isClosed else { return }
            isClosed = true
            if !syncsEachCommit { mdb_env_sync(handle, 1) }
            mdb_env_close(handle)
        }
    }

    /// Runs `body` in a read-only transaction that ends when `body` returns.
    func read<R>(_ body: (LMDBTransaction) throws -> R) throws -> R {
        while true {
            let outcome: R? = try transactionLock.withSharedLock {
                guard !isClosed else { throw LogError.closed }
                var pointer: OpaquePointer?
                let code = mdb_txn_begin(handle, nil, UInt32(MDB_RDONLY), &pointer)
                if code == MDB_MAP_RESIZED { return nil }
                try lmdbCheck(code)
                defer { mdb_txn_abort(pointer) }
                return try body(LMDBTransaction(handle: pointer!))
            }
            if let outcome { return outcome }
            // Another process grew the map: adopt its size, then begin again.
            try adoptGrownMap()
        }
    }

    /// Runs `body` in a write transaction and commits it durably; aborts it if `body` throws.
    ///
    /// Only the writer's thread may call this (LMDB binds write transactions to their thread).
    func write<R>(_ body: (LMDBTransaction) throws -> R) throws -> R {
        try transactionLock.withSharedLock {
            guard !isClosed else { throw LogError.closed }
            var pointer: OpaquePointer?
            var code = mdb_txn_begin(handle, nil, 0, &pointer)
            if code == MDB_MAP_RESIZED {
                try lmdbCheck(mdb_env_set_mapsize(handle, 0))
                code = mdb_txn_begin(handle, nil, 0, &pointer)
            }
            try lmdbCheck(code)
            let transaction = LMDBTransaction(handle: pointer!)
            let result: R
            do {
                result = try body(transaction)
            } catch {
                mdb_txn_abort(pointer)
                throw error
            }
            try lmdbCheck(mdb_txn_commit(pointer))
            return result
        }
    }

    /// Opens (creating when absent) the named database inside a write transaction.
    func openDatabase(_ name: String, in transaction: LMDBTransaction, flags: Int32 = 0) throws -> LMDBDatabase {
        var database: MDB_dbi = 0
        try lmdbCheck(mdb_dbi_open(transaction.handle, name, UInt32(flags | MDB_CREATE), &database))
        return database
    }

    /// The named database `name` when the store has one, without creating it.
    func existingDatabase(_ name: String, in transaction: LMDBTransaction) throws -> LMDBDatabase? {
        var database: MDB_dbi = 0
        let code = mdb_dbi_open(transaction.handle, name, 0, &database)
        if code == MDB_NOTFOUND { return nil }
        try lmdbCheck(code)
        return database
    }

    var usage: MapUsage {
        var info = MDB_envinfo()
        var stat = MDB_stat()
        mdb_env_info(handle, &info)
        mdb_env_stat(handle, &stat)
        let pageSize = Int(stat.ms_psize)
        return MapUsage(mapSize: info.me_mapsize, usedBytes: (info.me_last_pgno + 1) * pageSize, pageSize: pageSize)
    }

    /// Raises the map size; waits until no transaction of this process is active.
    func growMap(to newSize: Int) throws {
        try transactionLock.withExclusiveLock {
            guard !isClosed else { throw LogError.closed }
            try lmdbCheck(mdb_env_set_mapsize(handle, newSize))
        }
    }

    /// Writes a consistent copy of the environment into the empty or absent directory `destination`.
    func copy(to destination: String, compact: Bool) throws {
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        try transactionLock.withSharedLock {
            guard !isClosed else { throw LogError.closed }
            try lmdbCheck(mdb_env_copy2(handle, destination, compact ? UInt32(MDB_CP_COMPACT) : 0))
        }
    }

    /// The size of `data.mdb` on disk, in bytes.
    var dataFileSize: Int { Self.dataFileSize(in: path) }

    private func adoptGrownMap() throws {
        try transactionLock.withExclusiveLock {
            try lmdbCheck(mdb_env_set_mapsize(handle, 0))
        }
    }

    private static func dataFileSize(in directory: String) -> Int {
        let attributes = try? FileManager.default.attributesOfItem(atPath: directory + "/data.mdb")
        return (attributes?[.size] as? NSNumber)?.intValue ?? 0
    }
}
