import CLMDB

/// A failed LMDB call: the return code and LMDB's own explanation of it.
public struct LMDBError: Error, Equatable, CustomStringConvertible {
    /// The code LMDB (or the C library, for `errno` values such as `ENOSPC`) returned.
    public let code: Int32

    public init(code: Int32) {
        self.code = code
    }

    public var description: String {
        "LMDB error \(code): \(String(cString: mdb_strerror(code)))"
    }

    static let notFound = LMDBError(code: MDB_NOTFOUND)
    static let mapFull = LMDBError(code: MDB_MAP_FULL)
    static let mapResized = LMDBError(code: MDB_MAP_RESIZED)
    static let keyExists = LMDBError(code: MDB_KEYEXIST)
}

/// Throws `LMDBError` unless `code` is `MDB_SUCCESS`.
@inline(__always)
func lmdbCheck(_ code: Int32) throws(LMDBError) {
    if code != MDB_SUCCESS {
        throw LMDBError(code: code)
    }
}
