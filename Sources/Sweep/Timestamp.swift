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

    /// `2026-11-30T13:11:43.123Z`: the text `Date.ISO8601FormatStyle` (fractional seconds, GMT) writes, made by hand
    /// because a coordinator writes two per record (5 % of its time per job with the formatter). The same digits:
    /// whole seconds and the milliseconds truncated, both from the seconds since 2001 as `Date` keeps them
    /// (`TimestampTests` compares the two on random times).
    public var description: String {
        let sinceReference = date.timeIntervalSinceReferenceDate
        let whole = sinceReference.rounded(.down)
        let millisecond = Int(((sinceReference - whole) * 1000).rounded(.down))
        let seconds = Int(whole) + 978_307_200  // since 1970
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = Self.civilDate(daysSince1970: days)
        guard (1...9999).contains(year) else { return date.formatted(Self.style) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(year, 4); bytes.append(UInt8(ascii: "-")); digits(month, 2); bytes.append(UInt8(ascii: "-")); digits(day, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3600, 2); bytes.append(UInt8(ascii: ":")); digits(secondOfDay / 60 % 60, 2)
        bytes.append(UInt8(ascii: ":")); digits(secondOfDay % 60, 2)
        bytes.append(UInt8(ascii: ".")); digits(millisecond, 3); bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The proleptic Gregorian (year, month, day) of a day count since 1970-01-01 (Howard Hinnant's civil_from_days).
    static func civilDate(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

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
