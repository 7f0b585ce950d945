import Foundation
import PipeBasics

/// A fresh directory under the system temp directory, removed when the value goes away.
final class ScratchDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "pipebasics-\(UUID().uuidString)"
        try SystemCall.makeDirectories(path)
    }

    deinit { try? SystemCall.removeTree(path) }

    /// The UTF-8 text of a file inside, or nil when it cannot be read.
    func read(_ name: String) -> String? {
        (try? Data(contentsOf: URL(fileURLWithPath: path + "/" + name))).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The sorted names inside.
    func names() throws -> [String] { try SystemCall.listDirectory(path).sorted() }
}
