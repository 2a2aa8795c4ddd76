public import Config

/// Compact text forms of input and output kinds, for the command line and reports:
/// inputs `image:CxHxW`, `signal:CxL`, `tokens:LENGTH:VOCABULARY`; outputs `classes:K`, `per-token:V`, `next-token:V`.
extension ModelInput {
    public static let specFormats = "image:CxHxW (e.g. image:1x28x28), signal:CxL (signal:1x40) or tokens:LENGTH:VOCABULARY (tokens:40:12)"

    /// Parses `image:1x28x28`, `signal:1x40` or `tokens:40:12`; throws an `OptionError` naming the expected forms.
    public init(spec: String) throws {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func fail(_ why: String) -> OptionError {
            OptionError(subject: "input \"\(spec)\"", field: "", reason: "\(why); expected \(Self.specFormats)")
        }
        guard parts.count >= 2 else { throw fail("no kind") }
        switch (parts[0], parts.count) {
        case ("image", 2):
            let sizes = try SpecNumbers.dimensions(parts[1], count: 3, fail)
            self = .image(channels: sizes[0], height: sizes[1], width: sizes[2])
        case ("signal", 2):
            let sizes = try SpecNumbers.dimensions(parts[1], count: 2, fail)
            self = .signal(channels: sizes[0], length: sizes[1])
        case ("tokens", 3):
            self = .tokens(length: try SpecNumbers.positive(parts[1], fail), vocabulary: try SpecNumbers.positive(parts[2], fail))
        case ("image", _), ("signal", _), ("tokens", _):
            throw fail("wrong number of ':'-separated parts")
        default:
            throw fail("unknown kind \"\(parts[0])\"\(Suggestion.parenthesized(for: parts[0], in: ["image", "signal", "tokens"]))")
        }
    }

    /// The text form `init(spec:)` reads.
    public var spec: String {
        switch self {
        case .image(let c, let h, let w): "image:\(c)x\(h)x\(w)"
        case .signal(let c, let l): "signal:\(c)x\(l)"
        case .tokens(let l, let v): "tokens:\(l):\(v)"
        }
    }
}

extension ModelOutput {
    public static let specFormats = "classes:K (e.g. classes:10), per-token:V or next-token:V (V = vocabulary)"

    /// Parses `classes:10`, `per-token:12` or `next-token:12`; throws an `OptionError` naming the expected forms.
    public init(spec: String) throws {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func fail(_ why: String) -> OptionError {
            OptionError(subject: "output \"\(spec)\"", field: "", reason: "\(why); expected \(Self.specFormats)")
        }
        guard parts.count == 2 else { throw fail("expected KIND:COUNT") }
        let count = try SpecNumbers.positive(parts[1], fail)
        switch parts[0] {
        case "classes": self = .classes(count)
        case "per-token": self = .perToken(count)
        case "next-token": self = .nextToken(count)
        default:
            throw fail("unknown kind \"\(parts[0])\"\(Suggestion.parenthesized(for: parts[0], in: ["classes", "per-token", "next-token"]))")
        }
    }

    /// The text form `init(spec:)` reads.
    public var spec: String {
        switch self {
        case .classes(let k): "classes:\(k)"
        case .perToken(let v): "per-token:\(v)"
        case .nextToken(let v): "next-token:\(v)"
        }
    }
}

/// Positive integers in spec strings.
enum SpecNumbers {
    static func positive(_ text: String, _ fail: (String) -> OptionError) throws -> Int {
        guard let value = Int(text), value > 0 else { throw fail("\"\(text)\" is not a positive integer") }
        return value
    }

    /// `count` positive integers separated by `x` (or `×`).
    static func dimensions(_ text: String, count: Int, _ fail: (String) -> OptionError) throws -> [Int] {
        let items = text.split(separator: "x", omittingEmptySubsequences: false).flatMap { $0.split(separator: "×", omittingEmptySubsequences: false) }
        guard items.count == count else { throw fail("\"\(text)\" should have \(count) sizes separated by 'x'") }
        return try items.map { try positive(String($0), fail) }
    }
}
