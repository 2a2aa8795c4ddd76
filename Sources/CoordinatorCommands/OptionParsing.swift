public import Config
import Foundation

/// Parses `key=value` command-line options into config values: integers, numbers, booleans, JSON lists and
/// mappings are recognised, anything else is a string.
public enum OptionParsing {
    public static func value(_ text: String) -> ConfigValue {
        if let i = Int(text) { return .int(i) }
        if let d = Double(text) { return .double(d) }
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if text.hasPrefix("[") || text.hasPrefix("{"),
           let decoded = try? JSONDecoder().decode(ConfigValue.self, from: Data(text.utf8)) { return decoded }
        return .string(text)
    }

    /// `["depth=8", "width=256"]` → `[depth: 8, width: 256]`; throws naming the malformed entry.
    public static func options(_ entries: [String], flag: String) throws -> [String: ConfigValue] {
        var result: [String: ConfigValue] = [:]
        for entry in entries {
            guard let eq = entry.firstIndex(of: "="), eq != entry.startIndex else {
                throw CLIError("\(flag) \(entry): expected key=value, e.g. \(flag) depth=8")
            }
            result[String(entry[..<eq])] = value(String(entry[entry.index(after: eq)...]))
        }
        return result
    }
}

/// A command-line mistake, printed as is.
public struct CLIError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
