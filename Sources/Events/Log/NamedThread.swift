import Foundation

extension Thread {
    /// Runs `body` on a new thread that `top -H`, `perf` and `/proc` show as `name` (at most 15 bytes, Linux's
    /// limit). Foundation passes a name to the system only when it is set on the running thread itself.
    public static func start(named name: String, _ body: @escaping @Sendable () -> Void) {
        precondition(name.utf8.count <= 15, "Linux names threads with at most 15 bytes")
        Thread {
            Thread.current.name = name
            body()
        }.start()
    }
}
