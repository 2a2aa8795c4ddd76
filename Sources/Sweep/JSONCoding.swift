public import Foundation

/// The JSON encoder and decoder every component uses for specs, records, journal lines and messages:
/// sorted keys, and non-finite numbers (a diverged loss) written as the strings "nan", "inf", "-inf".
public enum JSONCoding {
    /// A fresh encoder (JSONEncoder is not Sendable; make one per use site).
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// A fresh decoder matching `makeEncoder()`.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
