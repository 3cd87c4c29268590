import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A plain blocking HTTP/1.1 exchange over a socket, for a response that never ends (Server-Sent Events): it
/// reads until `done` says the text so far is enough, then closes the connection.
enum RawHTTP {
    static func read(port: Int, request: String, until done: (String) -> Bool) throws -> String {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw RawHTTPError.socket }
        defer { close(socket) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw RawHTTPError.connect }
        let bytes = Array(request.utf8)
        guard send(socket, bytes, bytes.count, 0) == bytes.count else { throw RawHTTPError.send }
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !done(String(decoding: received, as: UTF8.self)) {
            let count = recv(socket, &buffer, buffer.count, 0)
            guard count > 0 else { throw RawHTTPError.ended(String(decoding: received, as: UTF8.self)) }
            received += buffer[..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}

enum RawHTTPError: Error {
    case socket, connect, send
    case ended(String)
}
