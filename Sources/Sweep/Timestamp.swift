public import Foundation

/// A point in wall-clock time, encoded as an ISO 8601 string with milliseconds in UTC
/// (`2026-11-30T13:11:43.123Z`) whatever the encoder's date strategy.
public struct Timestamp: Codable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var date: Date

    public init(_ date: Date) { self.date = date }

    /// Seconds since 1970-01-01 UTC.
    public init(secondsSince1970: Double) { date = Date(timeIntervalSince1970: secondsSince1970) }

    public static func now() -> Timestamp { Timestamp(Date()) }

    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
    private static let plainStyle = Date.ISO8601FormatStyle(timeZone: .gmt)

    public var description: String { date.formatted(Self.style) }

    /// Parses the ISO 8601 text `description` writes (milliseconds optional); nil for anything else. The one parser
    /// behind `Decodable` and the hand-written record decoders.
    public init?(iso text: String) {
        if let date = try? Self.style.parse(text) {
            self.date = date
        } else if let date = try? Self.plainStyle.parse(text) {
            self.date = date
        } else {
            return nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        if let parsed = Timestamp(iso: text) {
            self = parsed
        } else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "expected an ISO 8601 time like 2026-11-30T13:11:43.123Z, found \"\(text)\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.date < rhs.date }
}
