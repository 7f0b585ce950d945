import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.0 server on 127.0.0.1 that stands in for a remote in tests: `GET /<name>` answers 200 with the
/// registered body, anything else 404. One thread, one connection at a time; stopped by `stop()`.
final class LoopbackHTTPServer: @unchecked Sendable {
    let port: UInt16
    private let socketFD: Int32
    private let files: [String: Data]

    init(files: [String: Data]) throws {
        self.files = files
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        socketFD = fd
        port = UInt16(bigEndian: address.sin_port)
        let served = files
        Thread.detachNewThread { LoopbackHTTPServer.serve(fd, served) }
    }

    /// Closes the listening socket; the serving thread ends on its next accept.
    func stop() {
        shutdown(socketFD, Int32(SHUT_RDWR))
        close(socketFD)
    }

    func url(_ name: String) -> String { "http://127.0.0.1:\(port)/\(name)" }

    private static func serve(_ fd: Int32, _ files: [String: Data]) {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 { return }
            var request = Data()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !request.contains("\r\n\r\n".data(using: .utf8)!) {
                let n = recv(client, &buffer, buffer.count, 0)
                if n <= 0 { break }
                request.append(contentsOf: buffer[0..<n])
            }
            let line = String(decoding: request.prefix(while: { $0 != 0x0D }), as: UTF8.self)
            let path = line.split(separator: " ").dropFirst().first.map { String($0.dropFirst()) } ?? ""
            let body = files[path]
            var response = Data((body == nil ? "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n"
                : "HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: \(body!.count)\r\n").utf8)
            response.append(Data("Connection: close\r\n\r\n".utf8))
            if let body { response.append(body) }
            response.withUnsafeBytes { raw in
                var sent = 0
                while sent < raw.count {
                    let n = send(client, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                    if n <= 0 { break }
                    sent += n
                }
            }
            close(client)
        }
    }

    /// A loopback port nothing listens on (bound, then closed).
    static func closedPort() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        close(fd)
        return UInt16(bigEndian: address.sin_port)
    }
}
