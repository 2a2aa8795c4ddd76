public import Config
/// Canonical JSON: object keys sorted by their UTF-8 bytes, no whitespace, numbers printed stably.
///
/// Numbers: an integral value of magnitude below 2^53 prints as an integer (`1.0` and `1` are the same
/// number), anything else with Swift's shortest round-trip form (`0.001`, `1e-08`), which does not
/// depend on the platform or locale. Non-finite numbers (rejected by manifest validation) print as the
/// strings `"nan"`, `"inf"`, `"-inf"` so the output is always valid JSON.
///
/// Job ids hash this text, so changing how anything prints changes every id: don't.
public enum CanonicalJSON {
    /// Canonical JSON text of a value.
    public static func string(_ value: some CanonicalEncodable) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    /// Canonical JSON bytes (UTF-8) of a value.
    public static func bytes(_ value: some CanonicalEncodable) -> [UInt8] {
        var writer = Writer()
        value.writeCanonical(to: &writer)
        return writer.bytes
    }

    /// Streaming writer. Callers write object keys in ascending UTF-8 order (checked in debug builds).
    public struct Writer {
        public private(set) var bytes: [UInt8] = []
        private var needsComma: [Bool] = []
        #if DEBUG
        private var lastKey: [[UInt8]] = []
        #endif

        public init() { bytes.reserveCapacity(1024) }

        public mutating func beginObject() {
            separate(); bytes.append(0x7b); needsComma.append(false)
            #if DEBUG
            lastKey.append([])
            #endif
        }
        public mutating func endObject() {
            bytes.append(0x7d); needsComma.removeLast()
            #if DEBUG
            lastKey.removeLast()
            #endif
        }
        public mutating func beginArray() { separate(); bytes.append(0x5b); needsComma.append(false) }
        public mutating func endArray() { bytes.append(0x5d); needsComma.removeLast() }

        /// Writes an object key; the next write is its value.
        public mutating func key(_ name: String) {
            #if DEBUG
            let utf8 = Array(name.utf8)
            assert(lastKey.last!.isEmpty || lastKey.last!.lexicographicallyPrecedes(utf8),
                   "canonical keys out of order: \(name)")
            lastKey[lastKey.count - 1] = utf8
            #endif
            separate()
            writeString(name.utf8)
            bytes.append(0x3a)
            // The value that follows must not write another comma.
            needsComma[needsComma.count - 1] = false
        }

        /// Writes already-canonical JSON bytes as one value.
        public mutating func raw(_ json: [UInt8]) { separate(); bytes.append(contentsOf: json) }

        public mutating func null() { separate(); bytes.append(contentsOf: "null".utf8) }
        public mutating func bool(_ value: Bool) { separate(); bytes.append(contentsOf: (value ? "true" : "false").utf8) }
        public mutating func int(_ value: Int) { separate(); bytes.append(contentsOf: String(value).utf8) }

        public mutating func double(_ value: Double) {
            guard value.isFinite else {
                string(value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf"))
                return
            }
            if value.rounded() == value && abs(value) < 9_007_199_254_740_992 {
                int(Int(value))
            } else {
                separate()
                bytes.append(contentsOf: value.description.utf8)
            }
        }

        public mutating func string(_ value: String) { separate(); writeString(value.utf8) }

        /// Key + value conveniences for hand-written encoders.
        public mutating func field(_ name: String, _ value: Int) { key(name); int(value) }
        public mutating func field(_ name: String, _ value: Double) { key(name); double(value) }
        public mutating func field(_ name: String, _ value: String) { key(name); string(value) }
        public mutating func field(_ name: String, _ value: Bool) { key(name); bool(value) }
        /// Writes the key only when `value` is non-nil (matches `encodeIfPresent`).
        public mutating func field(_ name: String, ifPresent value: Int?) { if let value { field(name, value) } }
        public mutating func field(_ name: String, ifPresent value: Double?) { if let value { field(name, value) } }
        public mutating func field(_ name: String, _ value: some CanonicalEncodable) { key(name); value.writeCanonical(to: &self) }
        public mutating func field(_ name: String, ifPresent value: (some CanonicalEncodable)?) {
            if let value { field(name, value) }
        }

        private mutating func separate() {
            guard !needsComma.isEmpty else { return }
            if needsComma[needsComma.count - 1] { bytes.append(0x2c) }
            needsComma[needsComma.count - 1] = true
        }

        private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

        private mutating func writeString(_ utf8: String.UTF8View) {
            bytes.append(0x22)
            // Most strings need no escape: one bulk append.
            if !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5c }) {
                bytes.append(contentsOf: utf8)
                bytes.append(0x22)
                return
            }
            for byte in utf8 {
                switch byte {
                case 0x22: bytes.append(contentsOf: [0x5c, 0x22])
                case 0x5c: bytes.append(contentsOf: [0x5c, 0x5c])
                case 0x0a: bytes.append(contentsOf: [0x5c, 0x6e])
                case 0x0d: bytes.append(contentsOf: [0x5c, 0x72])
                case 0x09: bytes.append(contentsOf: [0x5c, 0x74])
                case 0..<0x20:
                    bytes.append(contentsOf: [0x5c, 0x75, 0x30, 0x30])
                    bytes.append(Self.hexDigits[Int(byte >> 4)])
                    bytes.append(Self.hexDigits[Int(byte & 0x0f)])
                default: bytes.append(byte)
                }
            }
            bytes.append(0x22)
        }
    }
}

/// A value with a canonical JSON form (the same keys and values as its `Codable` JSON, keys sorted).
public protocol CanonicalEncodable {
    func writeCanonical(to writer: inout CanonicalJSON.Writer)
}

extension ConfigValue: CanonicalEncodable {
    public func writeCanonical(to writer: inout CanonicalJSON.Writer) {
        switch self {
        case .null: writer.null()
        case .bool(let value): writer.bool(value)
        case .int(let value): writer.int(value)
        case .double(let value): writer.double(value)
        case .string(let value): writer.string(value)
        case .array(let values):
            writer.beginArray()
            for value in values { value.writeCanonical(to: &writer) }
            writer.endArray()
        case .object(let members):
            writer.beginObject()
            for key in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                writer.key(key)
                members[key]!.writeCanonical(to: &writer)
            }
            writer.endObject()
        }
    }
}

extension Array: CanonicalEncodable where Element: CanonicalEncodable {
    public func writeCanonical(to writer: inout CanonicalJSON.Writer) {
        writer.beginArray()
        for element in self { element.writeCanonical(to: &writer) }
        writer.endArray()
    }
}

extension Dictionary: CanonicalEncodable where Key == String, Value: CanonicalEncodable {
    public func writeCanonical(to writer: inout CanonicalJSON.Writer) {
        writer.beginObject()
        for key in keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            writer.key(key)
            self[key]!.writeCanonical(to: &writer)
        }
        writer.endObject()
    }
}
