import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP connection to 127.0.0.1, for the test that must read half a response, signal the server, and
/// read the rest (no HTTP client exposes that moment). Reads time out after 60 s so a hang fails the test.
final class LoopbackConnection {
    private let socket: Int32

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.EIO) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else { close(socket); throw POSIXError(.ECONNREFUSED) }
    }

    deinit { close(socket) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw POSIXError(.EPIPE) }
            sent += n
        }
    }

    /// Reads until the text received so far contains `marker`.
    func read(until marker: String) throws -> String {
        var text = ""
        while !text.contains(marker) {
            guard let chunk = try readChunk() else { break }
            text += chunk
        }
        return text
    }

    /// Reads until the server closes the connection.
    func readToEnd() throws -> String {
        var text = ""
        while let chunk = try readChunk() { text += chunk }
        return text
    }

    private func readChunk() throws -> String? {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = recv(socket, &buffer, buffer.count, 0)
        if n < 0 { throw POSIXError(.ETIMEDOUT) }
        return n == 0 ? nil : String(decoding: buffer[..<n], as: UTF8.self)
    }
}
