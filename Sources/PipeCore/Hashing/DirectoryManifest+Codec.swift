/// The canonical text form of a manifest: stable across runs and machines, so its XXH3-128 is the directory hash.
///
/// ```
/// pipe-manifest 1\n
/// <32 hex hash> <size> <x|-> <path byte length>:<path>\n     (one line per file, sorted by path bytes)
/// ```
/// The length prefix makes any path (spaces, newlines) unambiguous without escaping.
extension DirectoryManifest {
    /// First line of every serialised manifest; the number is the format version.
    public static let header = "pipe-manifest 1\n"

    /// The canonical bytes.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(DirectoryManifest.header.utf8.count + entries.count * 80)
        out.append(contentsOf: DirectoryManifest.header.utf8)
        for e in entries {
            out.append(contentsOf: e.hash.hex.utf8)
            out.append(0x20)
            out.append(contentsOf: String(e.size).utf8)
            out.append(0x20)
            out.append(e.isExecutable ? UInt8(ascii: "x") : UInt8(ascii: "-"))
            out.append(0x20)
            out.append(contentsOf: String(e.path.utf8.count).utf8)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: e.path.utf8)
            out.append(0x0A)
        }
        return out
    }

    /// Parses canonical bytes back, rejecting anything that is not exactly what `serialized()` writes
    /// (unsorted, duplicate, unsafe paths included). `source` names the file in errors.
    public init(parsing bytes: [UInt8], source: String) throws(PipeError) {
        func bad(_ what: String, line: Int) -> PipeError {
            PipeError(.cacheCorrupt, "malformed directory manifest: \(what)",
                      fix: "delete the object and rerun the stage that produces it (or `pipe commit`)",
                      location: SourceLocation(file: source, line: line, column: 1))
        }
        let header = Array(DirectoryManifest.header.utf8)
        guard bytes.starts(with: header) else { throw bad("missing `pipe-manifest 1` header", line: 1) }
        var i = header.count
        var line = 2
        var entries: [Entry] = []
        func field(until terminator: UInt8) -> ArraySlice<UInt8>? {
            guard let end = bytes[i...].firstIndex(of: terminator) else { return nil }
            defer { i = end + 1 }
            return bytes[i..<end]
        }
        while i < bytes.count {
            guard let hashText = field(until: 0x20), let hash = ContentHash(hex: String(decoding: hashText, as: UTF8.self)),
                  hashText.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
            else { throw bad("bad hash", line: line) }
            guard let sizeText = field(until: 0x20), let size = Int64(String(decoding: sizeText, as: UTF8.self)), size >= 0,
                  String(size).utf8.elementsEqual(sizeText) else { throw bad("bad size", line: line) }
            guard let mode = field(until: 0x20), mode.count == 1, mode.first == UInt8(ascii: "x") || mode.first == UInt8(ascii: "-")
            else { throw bad("bad mode (want x or -)", line: line) }
            guard let lengthText = field(until: UInt8(ascii: ":")), let length = Int(String(decoding: lengthText, as: UTF8.self)),
                  length > 0, String(length).utf8.elementsEqual(lengthText), i + length < bytes.count, bytes[i + length] == 0x0A
            else { throw bad("bad path length", line: line) }
            let path = String(decoding: bytes[i..<(i + length)], as: UTF8.self)
            i += length + 1
            guard path.utf8.count == length, DirectoryManifest.isSafeRelativePath(path) else {
                throw bad("unsafe path \(path.debugDescription)", line: line)
            }
            if let last = entries.last, !DirectoryManifest.precedes(last.path, path) {
                throw bad("entries not sorted or duplicated at \(path.debugDescription)", line: line)
            }
            entries.append(Entry(path: path, hash: hash, size: size, isExecutable: mode.first == UInt8(ascii: "x")))
            line += 1
        }
        self.init(entries: entries)
    }

    /// Whether `path` stays inside the directory: relative, no empty, `.` or `..` components, no NUL.
    public static func isSafeRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.utf8.contains(0) else { return false }
        for part in path.split(separator: "/", omittingEmptySubsequences: false) {
            if part.isEmpty || part == "." || part == ".." { return false }
        }
        return true
    }
}
