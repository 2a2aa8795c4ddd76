import Config
import CoordinatorCommands
import Foundation
import Guidance
import Sweep

/// The text form of a similarity matrix: rows a's taps (index and name), columns b's taps by index with a legend,
/// a `*` after the value of each pair the automatic mapping would use.
enum SimilarityTable {
    /// Longest row label before the middle of a tap name is elided.
    static let nameWidth = 28

    static func text(_ m: SimilarityMatrix, task: String) -> String {
        func describe(_ side: SimilarityMatrix.Side) -> String {
            var text = side.spec.family
            if !side.spec.options.isEmpty {
                text += "[" + side.spec.options.keys.sorted().map { "\($0)=\(side.spec.options[$0]!)" }.joined(separator: ", ") + "]"
            }
            return text + (side.checkpoint.map { " from \($0)" } ?? " (untrained)")
        }
        var lines = ["\(m.measure.name) on \(task), \(m.probeExamples) \(m.probeSplit) examples",
                     "rows    a = \(describe(m.a)), \(m.a.taps.count) taps",
                     "columns b = \(describe(m.b)), \(m.b.taps.count) taps",
                     "* = pair of the automatic mapping if b guided a", ""]
        let marked = Set(m.autoPairs.map { "\($0.target),\($0.guide)" })
        let rowLabels = m.a.taps.enumerated().map { "\($0.offset) \(elide($0.element, to: nameWidth))" }
        let labelWidth = rowLabels.map(\.count).max() ?? 0
        let cell = 8
        var header = String(repeating: " ", count: labelWidth)
        for j in m.b.taps.indices { header += pad("b\(j)", cell) }
        lines.append(header)
        for (i, row) in m.values.enumerated() {
            var line = rowLabels[i].padding(toLength: labelWidth, withPad: " ", startingAt: 0)
            for (j, value) in row.enumerated() {
                line += pad(String(format: "%.3f", value) + (marked.contains("\(i),\(j)") ? "*" : " "), cell)
            }
            lines.append(line)
        }
        lines.append("")
        lines.append("b taps:")
        lines += TextWrap.lines(m.b.taps.enumerated().map { "b\($0.offset) \($0.element)" }, indent: "  ")
        return lines.joined(separator: "\n")
    }

    /// `text` right-aligned in `width` columns.
    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: Swift.max(width - text.count, 1)) + text
    }

    /// `name` if it fits in `width`, else its start and end around an ellipsis (the end names the layer kind).
    static func elide(_ name: String, to width: Int) -> String {
        guard name.count > width, width > 4 else { return name }
        let tail = (width - 1) * 2 / 3, head = width - 1 - tail
        return String(name.prefix(head)) + "…" + String(name.suffix(tail))
    }
}

/// `guidance similarity --json` output for two models.
struct MatrixSimilarityJSON: Encodable {
    struct Side: Encodable {
        let family: String
        let options: [String: ConfigValue]
        let checkpoint: String?
        let taps: [String]
    }

    struct Pair: Encodable {
        let a: String
        let b: String
        let aIndex: Int
        let bIndex: Int
        enum CodingKeys: String, CodingKey { case a, b, aIndex = "a_index", bIndex = "b_index" }
    }

    let task: String
    let measure: String
    let probeSplit: String
    let probeExamples: Int
    let a: Side
    let b: Side
    /// [a taps][b taps]
    let matrix: [[Double]]
    let autoMapping: [Pair]

    enum CodingKeys: String, CodingKey {
        case task, measure, probeSplit = "probe_split", probeExamples = "probe_examples", a, b, matrix, autoMapping = "auto_mapping"
    }

    init(_ m: SimilarityMatrix, task: String) {
        func side(_ s: SimilarityMatrix.Side) -> Side {
            Side(family: s.spec.family, options: s.spec.options, checkpoint: s.checkpoint, taps: s.taps)
        }
        self.task = task
        measure = m.measure.name
        probeSplit = m.probeSplit
        probeExamples = m.probeExamples
        a = side(m.a)
        b = side(m.b)
        matrix = m.values
        autoMapping = m.autoPairs.map { Pair(a: m.a.taps[$0.target], b: m.b.taps[$0.guide], aIndex: $0.target, bIndex: $0.guide) }
    }
}

/// `guidance similarity --npy --json` output.
struct FileSimilarityJSON: Encodable {
    let measure: String
    let value: Double
    let rows: Int
    let aColumns: Int
    let bColumns: Int
    enum CodingKeys: String, CodingKey { case measure, value, rows, aColumns = "a_columns", bColumns = "b_columns" }
}

enum SimilarityJSON {
    static func string(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
