import Foundation
import Tasks

/// One example of a split in readable form: signals as a sparkline and values, images as ASCII shading, token
/// sequences as ids (and text when the task has a vocabulary), then the target.
enum ExampleText {
    /// Values shown per signal channel before eliding.
    static let maxValues = 48
    /// Signal values per printed line.
    static let valuesPerLine = 10
    /// Token ids shown before eliding.
    static let maxTokens = 80

    static func lines(_ split: Split, index: Int, vocabulary: [String]?) -> [String] {
        let row = split.batch([index])
        var lines: [String] = []
        switch row.inputs {
        case .float32(let values):
            let shape = split.exampleShape
            if shape.count == 3 {
                lines.append("input (\(shape.map(String.init).joined(separator: "×")) image, channel mean, darker = larger):")
                lines += shading(values, channels: shape[0], height: shape[1], width: shape[2])
            } else {
                let channels = shape.count == 2 ? shape[0] : 1
                let length = values.count / Swift.max(channels, 1)
                lines.append("input (\(channels)×\(length) signal):")
                for c in 0..<channels {
                    let channel = Array(values[(c * length)..<((c + 1) * length)])
                    lines.append((channels > 1 ? "ch\(c) " : "") + sparkline(channel))
                    let shown = channel.prefix(maxValues).map { String(format: "%6.2f", $0) }
                    for start in stride(from: 0, to: shown.count, by: valuesPerLine) {
                        lines.append(shown[start..<Swift.min(start + valuesPerLine, shown.count)].joined(separator: " "))
                    }
                    if channel.count > maxValues { lines.append("… (\(channel.count - maxValues) more)") }
                }
            }
        case .int64(let ids):
            let valid = row.lengths.map { Int($0[0]) } ?? ids.count
            let shownIDs = ids.prefix(Swift.min(valid, maxTokens)).map(String.init).joined(separator: " ")
            let padding = valid < ids.count ? " (then \(ids.count - valid) padding positions)" : ""
            lines.append("input (\(valid) tokens\(padding)):")
            lines.append(shownIDs + (valid > maxTokens ? " …" : ""))
            if let vocabulary {
                let text = ids.prefix(valid).map { vocabulary.indices.contains(Int($0)) ? vocabulary[Int($0)] : "?" }.joined()
                lines.append("text: " + text.debugDescription)
            }
        }
        if split.targetShape.isEmpty {
            lines.append("target: class \(row.targets[0])")
        } else {
            let shown = row.targets.prefix(maxTokens).map { $0 == ignoreIndex ? "·" : String($0) }.joined(separator: " ")
            lines.append("target (· = not scored):")
            lines.append(shown + (row.targets.count > maxTokens ? " …" : ""))
        }
        return lines
    }

    /// Eight-level bars scaled from the channel's minimum to its maximum.
    static func sparkline(_ values: [Float]) -> String {
        let bars = Array("▁▂▃▄▅▆▇█")
        guard let low = values.min(), let high = values.max(), high > low else { return String(repeating: "▁", count: values.count) }
        return String(values.map { bars[Swift.min(Int(($0 - low) / (high - low) * Float(bars.count)), bars.count - 1)] })
    }

    /// Rows of characters from light to dark for the mean over channels, scaled to the image's range; every other
    /// row is skipped (terminal cells are about twice as tall as wide).
    static func shading(_ values: [Float], channels: Int, height: Int, width: Int) -> [String] {
        let ramp = Array(" .:-=+*#%@")
        var mean = [Float](repeating: 0, count: height * width)
        for c in 0..<channels {
            for p in 0..<(height * width) { mean[p] += values[c * height * width + p] / Float(channels) }
        }
        guard let low = mean.min(), let high = mean.max(), high > low else { return ["(constant image)"] }
        return stride(from: 0, to: height, by: 2).map { y in
            String((0..<width).map { x in
                ramp[Swift.min(Int((mean[y * width + x] - low) / (high - low) * Float(ramp.count)), ramp.count - 1)]
            })
        }
    }
}
