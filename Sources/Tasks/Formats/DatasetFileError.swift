/// A data file (or directory) could not be used. The description names the file, what was
/// expected and what was found, and ends with a hint.
public struct DatasetFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Nothing at the path.
        case missing
        /// The operating system refused to read it.
        case unreadable(String)
        /// The leading magic bytes are not the format's.
        case wrongMagic(expected: String, found: String)
        /// Fewer bytes than the header (or record size) implies.
        case truncated(expectedBytes: Int, foundBytes: Int)
        /// Inputs and labels disagree on the number of examples.
        case countMismatch(inputs: Int, inputsFile: String, labels: Int)
        /// The element type is not one this reader handles.
        case unsupportedDType(found: String, supported: [String])
        /// An NPY array stored in Fortran (column-major) order.
        case fortranOrder
        /// A file or directory that holds something else than the format needs.
        case wrongContents(expected: String, found: String)
        /// Anything else wrong with the contents.
        case malformed(String)
    }

    public let path: String
    public let kind: Kind
    public let hint: String

    public init(path: String, _ kind: Kind, hint: String = "") {
        self.path = path
        self.kind = kind
        self.hint = hint
    }

    public var description: String {
        let what: String = switch kind {
        case .missing: "does not exist"
        case let .unreadable(reason): "cannot be read: \(reason)"
        case let .wrongMagic(expected, found): "has the wrong magic number: expected \(expected), found \(found)"
        case let .truncated(expected, found): "is truncated: expected \(expected) bytes, found \(found)"
        case let .countMismatch(inputs, inputsFile, labels):
            "holds \(labels) labels but \(inputsFile) holds \(inputs) inputs"
        case let .unsupportedDType(found, supported):
            "has unsupported element type \(found); supported: \(supported.joined(separator: ", "))"
        case .fortranOrder: "is stored in Fortran (column-major) order, which is not supported"
        case let .wrongContents(expected, found): "does not hold what was expected: expected \(expected), found \(found)"
        case let .malformed(message): message
        }
        return "\(path) \(what)" + (hint.isEmpty ? "" : "; \(hint)")
    }
}
