/// Reading JSON text straight into a `ConfigValue`, without `JSONDecoder`.
///
/// Gives the same value as `JSONDecoder().decode(ConfigValue.self, from:)` (the `Codable` conformance tries
/// bool, integer, double, string, array, object in that order), at a fraction of the cost: that decoder
/// throws and discards an error for every kind it rules out. The store flattens every record's spec this way
/// for its CSV row. Numbers follow the same rule as the decoder: a number that is exactly an `Int` is
/// `.int` (also when written `1.0` or `1e3`), any other is `.double`; like that decoder it accepts a trailing
/// comma in arrays and objects.
extension ConfigValue {
    /// Parses one JSON value (surrounding whitespace allowed); nil when the text is not valid JSON.
    public init?(json bytes: some Collection<UInt8>) {
        let parsed: ConfigValue? = bytes.withContiguousStorageIfAvailable { buffer in
            var reader = JSONValueReader(buffer)
            return reader.document()
        } ?? {
            let copy = Array(bytes)
            return copy.withUnsafeBufferPointer { buffer in
                var reader = JSONValueReader(buffer)
                return reader.document()
            }
        }()
        guard let parsed else { return nil }
        self = parsed
    }

    /// Reads only the member `name` of a JSON object (the other members are skipped, not built), as
    /// `ConfigValue(json:)` would read it; nil when the text is not an object or has no such member. Text after
    /// the member is not checked.
    public init?(json bytes: [UInt8], member name: String) {
        let parsed: ConfigValue? = bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONValueReader(buffer)
            return reader.member(Array(name.utf8))
        }
        guard let parsed else { return nil }
        self = parsed
    }
}

extension ConfigValue {
    /// Walks the JSON text's objects in the order written and calls `leaf` with the dotted path (`training.optimizer.lr`;
    /// members of nested objects joined by ".") and the value of every member that is not an object (arrays whole),
    /// read as `ConfigValue(json:)` reads them: the leaves of `ConfigValue(json: bytes)`'s tree, without building its
    /// dictionaries. Returns false (after calling `leaf` for what came before) when the text is not valid JSON.
    public static func forEachLeaf(json bytes: [UInt8], _ leaf: (String, ConfigValue) -> Void) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONValueReader(buffer)
            guard reader.leaves(prefix: "", depth: 0, leaf) else { return false }
            return reader.atEnd()
        }
    }
}

extension ConfigValue {
    /// The members of the JSON object `bytes` as written: each key with the byte range of its value (not parsed,
    /// only scanned past); nil when the text is not an object or is malformed around its members.
    public static func members(json bytes: [UInt8]) -> [(key: String, value: Range<Int>)]? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONValueReader(buffer)
            return reader.members()
        }
    }
}

/// A recursive-descent JSON reader over UTF-8 bytes (RFC 8259), producing `ConfigValue`s.
private struct JSONValueReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    /// Nesting limit, so that hostile input cannot exhaust the stack.
    let maxDepth = 512

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The whole input as one value.
    mutating func document() -> ConfigValue? {
        guard let value = value(depth: 0) else { return nil }
        skipWhitespace()
        // (No `cond ? value : nil` here: ConfigValue is ExpressibleByNilLiteral, so that nil would be `.null`.)
        guard position == bytes.count else { return nil }
        return value
    }

    /// The top-level object's members with their values' byte ranges (`ConfigValue.members(json:)`).
    mutating func members() -> [(key: String, value: Range<Int>)]? {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else { return nil }
        position += 1
        var members: [(key: String, value: Range<Int>)] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return atEnd() ? members : nil
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), let key = string() else { return nil }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return nil }
            position += 1
            skipWhitespace()
            let start = position
            guard skipValue() else { return nil }
            members.append((key, start..<position))
            skipWhitespace()
            guard position < bytes.count else { return nil }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    return atEnd() ? members : nil
                }
            } else if bytes[position] == UInt8(ascii: "}") {
                position += 1
                return atEnd() ? members : nil
            } else {
                return nil
            }
        }
    }

    /// Whether only whitespace is left.
    mutating func atEnd() -> Bool {
        skipWhitespace()
        return position == bytes.count
    }

    /// The leaves under one value (see `ConfigValue.forEachLeaf`); false on malformed text.
    mutating func leaves(prefix: String, depth: Int, _ leaf: (String, ConfigValue) -> Void) -> Bool {
        skipWhitespace()
        guard position < bytes.count, depth < maxDepth else { return false }
        guard bytes[position] == UInt8(ascii: "{") else {
            guard let value = value(depth: depth) else { return false }
            leaf(prefix, value)
            return true
        }
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return true
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), let key = string() else { return false }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return false }
            position += 1
            guard leaves(prefix: prefix.isEmpty ? key : prefix + "." + key, depth: depth + 1, leaf) else { return false }
            skipWhitespace()
            guard position < bytes.count else { return false }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                skipWhitespace()  // a trailing comma is accepted, as by JSONDecoder
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    return true
                }
            } else if bytes[position] == UInt8(ascii: "}") {
                position += 1
                return true
            } else {
                return false
            }
        }
    }

    /// The value of the top-level object's first member named `name`.
    mutating func member(_ name: [UInt8]) -> ConfigValue? {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else { return nil }
        position += 1
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), let key = string() else { return nil }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return nil }
            position += 1
            if key.utf8.elementsEqual(name) { return value(depth: 1) }
            guard skipValue() else { return nil }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ",") else { return nil }
            position += 1
        }
    }

    /// Moves past one value without building it (strings scanned for their closing quote, containers by
    /// depth); false on malformed text.
    private mutating func skipValue() -> Bool {
        skipWhitespace()
        var depth = 0
        repeat {
            guard position < bytes.count else { return false }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
                    position += bytes[position] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard position < bytes.count else { return false }
                position += 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                position += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { return false }
                depth -= 1
                position += 1
            default:
                position += 1
            }
            if depth > 0 { continue }
            // A scalar outside any container ends at the next delimiter.
            if byte != UInt8(ascii: "\""), byte != UInt8(ascii: "}"), byte != UInt8(ascii: "]") {
                while position < bytes.count {
                    switch bytes[position] {
                    case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0a, 0x0d: return true
                    default: position += 1
                    }
                }
            }
            return true
        } while true
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0a, 0x0d: position += 1
            default: return
            }
        }
    }

    mutating func value(depth: Int) -> ConfigValue? {
        skipWhitespace()
        guard position < bytes.count, depth < maxDepth else { return nil }
        switch bytes[position] {
        case UInt8(ascii: "{"): return object(depth: depth)
        case UInt8(ascii: "["): return array(depth: depth)
        case UInt8(ascii: "\""): return string().map(ConfigValue.string)
        case UInt8(ascii: "t"):
            guard literal("true") else { return nil }
            return .bool(true)
        case UInt8(ascii: "f"):
            guard literal("false") else { return nil }
            return .bool(false)
        case UInt8(ascii: "n"):
            guard literal("null") else { return nil }
            return .null
        default: return number()
        }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { return false }
        position += count
        return true
    }

    private mutating func object(depth: Int) -> ConfigValue? {
        position += 1  // {
        var members: [String: ConfigValue] = [:]
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), let key = string() else { return nil }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return nil }
            position += 1
            guard let member = value(depth: depth + 1) else { return nil }
            members[key] = member
            skipWhitespace()
            guard position < bytes.count else { return nil }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                // A trailing comma is accepted, as Foundation's JSONDecoder accepts it.
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    return .object(members)
                }
            } else if bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            } else {
                return nil
            }
        }
    }

    private mutating func array(depth: Int) -> ConfigValue? {
        position += 1  // [
        var elements: [ConfigValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            guard let element = value(depth: depth + 1) else { return nil }
            elements.append(element)
            skipWhitespace()
            guard position < bytes.count else { return nil }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                skipWhitespace()  // a trailing comma is accepted, as by JSONDecoder
                if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    return .array(elements)
                }
            } else if bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            } else {
                return nil
            }
        }
    }

    /// A string starting at the opening quote; escapes decoded, unpaired surrogates rejected.
    private mutating func string() -> String? {
        position += 1  // "
        let start = position
        // Fast path: no escapes.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                // Invalid UTF-8 is refused, as JSONDecoder refuses it (not repaired with U+FFFD).
                guard let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self) else {
                    return nil
                }
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            position += 1
        }
        var utf8 = Array(bytes[start..<position])
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { return nil }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0c)
                case UInt8(ascii: "n"): utf8.append(0x0a)
                case UInt8(ascii: "r"): utf8.append(0x0d)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4() else { return nil }
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"),
                              bytes[position + 1] == UInt8(ascii: "u") else { return nil }
                        position += 2
                        guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        return nil
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { return nil }
                    utf8.append(contentsOf: UTF8.encode(unicode)!)
                default:
                    return nil
                }
            default:
                guard byte >= 0x20 else { return nil }
                utf8.append(byte)
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard bytes.count - position >= 4 else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            position += 1
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// A number per the JSON grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func number() -> ConfigValue? {
        let start = position
        func digits() -> Int {
            let from = position
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
            return position - from
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
        let integerStart = position
        let integerDigits = digits()
        guard integerDigits > 0, integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else { return nil }
        var isIntegerSyntax = true
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { return nil }
            isIntegerSyntax = false
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { return nil }
            isIntegerSyntax = false
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        if isIntegerSyntax, let integer = Int(text) { return .int(integer) }
        guard let double = Double(text) else { return nil }
        if let integer = Int(exactly: double) { return .int(integer) }
        return .double(double)
    }
}
