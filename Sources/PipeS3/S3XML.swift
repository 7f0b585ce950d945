import Foundation

/// A minimal reader for the XML S3 answers with (ListBucketResult, Error, InitiateMultipartUploadResult, …):
/// elements, text, the five named entities and numeric references, comments, CDATA and the prolog. Attributes
/// and namespaces are read past; a document that is not well-formed is an error.
struct S3XMLElement: Equatable {
    /// The element's name without namespace prefix.
    var name: String
    /// Child elements in order.
    var children: [S3XMLElement] = []
    /// The element's own text (concatenated, entities decoded).
    var text: String = ""

    /// The first child named `name`.
    func child(_ name: String) -> S3XMLElement? { children.first { $0.name == name } }

    /// Every child named `name`.
    func children(_ name: String) -> [S3XMLElement] { children.filter { $0.name == name } }

    /// The text of the first child named `name`.
    func text(of name: String) -> String? { child(name)?.text }

    /// Parses a document into its root element.
    static func parse(_ bytes: [UInt8]) throws(S3XMLError) -> S3XMLElement {
        var parser = S3XMLParser(bytes: bytes)
        return try parser.document()
    }
}

/// Why an XML body could not be read.
struct S3XMLError: Error, CustomStringConvertible {
    let reason: String
    let offset: Int
    var description: String { "\(reason) at byte \(offset)" }
}

/// The recursive-descent parser behind `S3XMLElement.parse`.
private struct S3XMLParser {
    let bytes: [UInt8]
    var index = 0

    mutating func document() throws(S3XMLError) -> S3XMLElement {
        skipMisc()
        guard peek("<") else { throw fail("no root element") }
        let root = try element()
        skipMisc()
        guard index == bytes.count else { throw fail("content after the root element") }
        return root
    }

    /// Skips whitespace, the prolog, processing instructions, comments and a DOCTYPE.
    private mutating func skipMisc() {
        while true {
            while index < bytes.count, [0x20, 0x0a, 0x0d, 0x09].contains(bytes[index]) { index += 1 }
            if starts("<?") { skip(past: "?>") } else if starts("<!--") { skip(past: "-->") }
            else if starts("<!") { skip(past: ">") } else { return }
        }
    }

    private mutating func element() throws(S3XMLError) -> S3XMLElement {
        index += 1  // <
        let name = readName()
        guard !name.isEmpty else { throw fail("element without a name") }
        var node = S3XMLElement(name: Self.localName(name))
        // Attributes are skipped, quotes respected.
        while index < bytes.count, bytes[index] != UInt8(ascii: ">") {
            if bytes[index] == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">") {
                index += 2
                return node
            }
            if bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
                let quote = bytes[index]
                index += 1
                while index < bytes.count, bytes[index] != quote { index += 1 }
            }
            index += 1
        }
        guard index < bytes.count else { throw fail("unterminated start tag <\(name)>") }
        index += 1  // >
        var text = [UInt8]()
        while true {
            guard index < bytes.count else { throw fail("unterminated element <\(name)>") }
            if starts("</") {
                index += 2
                let closing = readName()
                guard closing == name else { throw fail("</\(closing)> closes <\(name)>") }
                while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
                index += 1
                node.text = String(decoding: text, as: UTF8.self)
                return node
            } else if starts("<!--") {
                skip(past: "-->")
            } else if starts("<![CDATA[") {
                index += 9
                while index < bytes.count, !starts("]]>") { text.append(bytes[index]); index += 1 }
                index += 3
            } else if peek("<") {
                node.children.append(try element())
            } else if peek("&") {
                text += try entity()
            } else {
                text.append(bytes[index])
                index += 1
            }
        }
    }

    private mutating func entity() throws(S3XMLError) -> [UInt8] {
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
        guard index < bytes.count else { throw fail("unterminated entity") }
        let name = String(decoding: bytes[(start + 1)..<index], as: UTF8.self)
        index += 1
        switch name {
        case "amp": return Array("&".utf8)
        case "lt": return Array("<".utf8)
        case "gt": return Array(">".utf8)
        case "quot": return Array("\"".utf8)
        case "apos": return Array("'".utf8)
        default:
            let scalar: UInt32?
            if name.hasPrefix("#x") { scalar = UInt32(name.dropFirst(2), radix: 16) }
            else if name.hasPrefix("#") { scalar = UInt32(name.dropFirst()) } else { scalar = nil }
            guard let scalar, let unicode = Unicode.Scalar(scalar) else { throw fail("unknown entity &\(name);") }
            return Array(String(Character(unicode)).utf8)
        }
    }

    private mutating func readName() -> String {
        let start = index
        while index < bytes.count, !" \t\r\n/>".utf8.contains(bytes[index]) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private static func localName(_ name: String) -> String {
        name.split(separator: ":").last.map(String.init) ?? name
    }

    private func peek(_ character: Unicode.Scalar) -> Bool {
        index < bytes.count && bytes[index] == UInt8(ascii: character)
    }

    private func starts(_ prefix: String) -> Bool {
        let utf8 = Array(prefix.utf8)
        return index + utf8.count <= bytes.count && Array(bytes[index..<(index + utf8.count)]) == utf8
    }

    private mutating func skip(past terminator: String) {
        while index < bytes.count, !starts(terminator) { index += 1 }
        index = min(bytes.count, index + terminator.utf8.count)
    }

    private func fail(_ reason: String) -> S3XMLError { S3XMLError(reason: reason, offset: index) }
}

/// Escapes text for an XML element body (the keys in DeleteObjects, the ETags in CompleteMultipartUpload): inside
/// element text only `&`, `<` and `>` need it; quotes stay as they are.
func xmlEscaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;")
}
