import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses a document with Foundation's XMLParser and collects what the tests check: whether it is
/// well-formed, the attributes of every element, and all text (one space between elements' text).
final class XMLWellFormed: NSObject, XMLParserDelegate {
    private(set) var elements: [(name: String, attributes: [String: String])] = []
    private var rawText = ""
    /// All text, with every run of whitespace (including between elements) collapsed to one space.
    var text: String { rawText.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
    private(set) var error: String?

    /// Parses `document`; `error` says why it is not well-formed.
    init(_ document: String) {
        super.init()
        let parser = XMLParser(data: Data(document.utf8))
        parser.delegate = self
        if !parser.parse() {
            error = "line \(parser.lineNumber), column \(parser.columnNumber): \(parser.parserError.map { "\($0)" } ?? "unknown error")"
        }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append((name, attributes))
        rawText += " "  // text of separate elements (wrapped lines) stays apart
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { rawText += string }

    /// Elements named `name` with `class` attribute `cls`.
    func elements(_ name: String, class cls: String) -> [[String: String]] {
        elements.filter { $0.name == name && $0.attributes["class"] == cls }.map(\.attributes)
    }
}
