import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads MedQuAD-style XML (`Document` › `QAPairs` › `QAPair` › `Question`/`Answer`): one item per record
/// element, each field addressable as `Element` (its text) or `Element@attribute`, including the attributes of
/// enclosing elements (`Document@source`).
public struct MedQuADReader {
    /// One record element's fields and its position (1-based) in the file.
    public struct Item: Equatable, Sendable {
        public var index: Int
        public var fields: [String: String]
    }

    /// The file is not well-formed XML.
    public struct SyntaxError: Error, Equatable, Sendable {
        public var line: Int
        public var message: String
    }

    public let data: Data
    /// The element that makes one record (default `QAPair`).
    public var recordElement: String

    public init(data: Data, recordElement: String = "QAPair") {
        self.data = data
        self.recordElement = recordElement
    }

    /// Every record element in document order.
    public func items() throws -> [Item] {
        let delegate = Collector(recordElement: recordElement)
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.shouldResolveExternalEntities = false
        // On Linux `parse()` may return true after an error; the delegate's first error is what counts.
        let ok = parser.parse()
        if let first = delegate.firstError ?? (ok ? nil : (parser.lineNumber, (parser.parserError as NSError?)?.code ?? 0)) {
            throw SyntaxError(line: first.line, message: Self.describe(code: first.code))
        }
        return delegate.items
    }

    /// A readable message for libxml2's error codes (the common ones; others by number).
    static func describe(code: Int) -> String {
        switch code {
        case 76: return "mismatched closing tag"
        case 5: return "the document ends before its elements are closed"
        case 4: return "the document is empty or not XML"
        case 9: return "invalid character"
        case 26: return "undeclared entity"
        case 41, 65: return "malformed attribute"
        default: return "malformed XML (libxml2 error \(code))"
        }
    }

    private final class Collector: NSObject, XMLParserDelegate {
        let recordElement: String
        var items: [Item] = []
        var ancestors: [(name: String, attributes: [String: String])] = []
        var current: [String: String]?
        var text = ""
        var depthInRecord = 0
        var outside: [String: String] = [:]
        var firstError: (line: Int, code: Int)?

        init(recordElement: String) {
            self.recordElement = recordElement
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if name == recordElement {
                var fields = outside
                for ancestor in ancestors {
                    for (key, value) in ancestor.attributes { fields["\(ancestor.name)@\(key)"] = value }
                }
                for (key, value) in attributes { fields["\(name)@\(key)"] = value }
                current = fields
                depthInRecord = 0
            } else if current != nil {
                depthInRecord += 1
                for (key, value) in attributes { current?["\(name)@\(key)"] = value }
            }
            ancestors.append((name, attributes))
            text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            if firstError == nil { firstError = (parser.lineNumber, (parseError as NSError).code) }
            parser.abortParsing()
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            ancestors.removeLast()
            if name == recordElement, let fields = current {
                items.append(Item(index: items.count + 1, fields: fields))
                current = nil
            } else if current != nil {
                current?[name] = text
                depthInRecord -= 1
            } else {
                // Text of elements outside records (e.g. `Focus`) is visible to the records that follow.
                outside[name] = text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            text = ""
        }
    }
}
