import Foundation

/// A diverging colour scale centred at zero (ColorBrewer RdBu, 5 stops): red for worse, near-white
/// for no difference, blue for better. Colour-blind safe and readable in greyscale by lightness.
public struct ColorScale: Sendable {
    /// |value| that maps to the saturated ends (values beyond are clamped).
    public var limit: Double

    public init(limit: Double) { self.limit = limit }

    /// An sRGB colour, 0–255 per channel.
    public struct RGB: Hashable, Sendable {
        public var r: Int, g: Int, b: Int

        /// `#rrggbb`.
        public var hex: String { String(format: "#%02x%02x%02x", r, g, b) }

        /// Whether dark text reads better than white on this colour (relative luminance > 0.4).
        public var prefersDarkText: Bool {
            func linear(_ c: Int) -> Double {
                let v = Double(c) / 255
                return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b) > 0.4
        }
    }

    static let stops: [RGB] = [
        RGB(r: 0xca, g: 0x00, b: 0x20), RGB(r: 0xf4, g: 0xa5, b: 0x82), RGB(r: 0xf7, g: 0xf7, b: 0xf7),
        RGB(r: 0x92, g: 0xc5, b: 0xde), RGB(r: 0x05, g: 0x71, b: 0xb0),
    ]

    /// The colour of `value`: stops at −limit, −limit/2, 0, limit/2, limit, linear in between.
    public func color(_ value: Double) -> RGB {
        guard value.isFinite, limit > 0 else { return Self.stops[2] }
        let t = (max(-1, min(1, value / limit)) + 1) * 2  // 0...4
        let i = min(3, Int(t.rounded(.down)))
        let f = t - Double(i)
        let a = Self.stops[i], b = Self.stops[i + 1]
        func mix(_ x: Int, _ y: Int) -> Int { Int((Double(x) + (Double(y) - Double(x)) * f).rounded()) }
        return RGB(r: mix(a.r, b.r), g: mix(a.g, b.g), b: mix(a.b, b.b))
    }

    /// A symmetric limit for a matrix: its largest |mean Δ|, rounded up to a "nice" 1, 2, 2.5 or 5 × 10^k.
    public static func niceLimit(_ maxAbs: Double) -> Double {
        guard maxAbs.isFinite, maxAbs > 0 else { return 1 }
        let magnitude = pow(10, (log10(maxAbs)).rounded(.down))
        for step in [1.0, 2, 2.5, 5, 10] where step * magnitude >= maxAbs * (1 - 1e-12) { return step * magnitude }
        return 10 * magnitude
    }
}
