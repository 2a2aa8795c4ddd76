public import Config

extension ModelFamily {
    /// `options` with every field that equals the value jobs are hashed with left out (its `identityDefault`, or
    /// for derived defaults the value the rule gives: `ff` = 4×width, resnet `blocks`/`bottleneck` from the depth
    /// preset), nulls left out, and integral numbers in integer fields written as integers. Two option sets that
    /// build the same model normalise to the same mapping, so they hash to the same job id.
    ///
    /// Unknown fields and wrong types are kept as written: validation reports them, not this.
    public func normalized(_ options: [String: ConfigValue]) -> [String: ConfigValue] {
        var result: [String: ConfigValue] = [:]
        let byName = Dictionary(fields.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for (key, raw) in options where raw != .null {
            let value = Self.integral(raw, like: byName[key]?.identityDefault)
            if let identity = byName[key]?.identityDefault, value.means(identity) { continue }
            result[key] = value
        }
        switch self {
        case .transformer:
            let width = Self.intValue(result["width"]) ?? field("width").identityDefault.flatMap(Self.intValue) ?? 0
            if let ff = Self.intValue(result["ff"]), ff == 4 * width { result["ff"] = nil }
        case .resnet:
            let depth = Self.intValue(result["depth"]) ?? field("depth").identityDefault.flatMap(Self.intValue) ?? 0
            if let preset = Self.resnetPresets[depth] {
                if let blocks = result["blocks"], blocks.means(.array(preset.blocks.map { .int($0) })) {
                    result["blocks"] = nil
                }
                if let bottleneck = result["bottleneck"], bottleneck == .bool(preset.bottleneck) { result["bottleneck"] = nil }
            }
        default:
            break
        }
        return result
    }

    /// The normalised options of `family`, or `options` unchanged when the family is unknown.
    public static func normalized(family: String, options: [String: ConfigValue]) -> [String: ConfigValue] {
        ModelFamily(rawValue: family)?.normalized(options) ?? options.filter { $0.value != .null }
    }

    static func intValue(_ value: ConfigValue?) -> Int? {
        switch value {
        case .int(let i)?: return i
        case .double(let d)? where d == d.rounded() && abs(d) < 1e15: return Int(d)
        default: return nil
        }
    }

    /// `8.0` in a field whose default is an integer becomes `8`.
    static func integral(_ value: ConfigValue, like reference: ConfigValue?) -> ConfigValue {
        guard case .int? = reference, case .double = value, let i = intValue(value) else { return value }
        return .int(i)
    }
}
