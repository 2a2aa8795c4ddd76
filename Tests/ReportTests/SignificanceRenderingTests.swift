import Foundation
@testable import Report
import Sweep
import XCTest

/// Significance you can see: one colour scale per metric and comparison across a report's tables, undecided cells
/// muted and hatched with their interval drawn, decided cells marked in the terminal.
final class SignificanceRenderingTests: XCTestCase {
    /// Two training settings (steps 100 and 200), so two guidability matrices of the same metric and comparison:
    /// - steps 100: deep-fcn ← rnn +20 pp on every seed (decided);
    /// - steps 200: deep-fcn ← rnn +10 pp on every seed (decided); cnn ← rnn +2, −1, +3 pp (undecided).
    func records() -> [JobRecord] {
        var records: [JobRecord] = []
        for (steps, fcnGuided) in [(100, [0.70, 0.70, 0.70]), (200, [0.60, 0.60, 0.60])] {
            let training = TrainingConfig(steps: steps)
            for seed in 0..<3 {
                records.append(Fixtures.record(target: Fixtures.fcn, seed: seed, metrics: Fixtures.accuracy(0.5), training: training))
                records.append(Fixtures.record(target: Fixtures.fcn, guide: Fixtures.rnn, condition: .guided, state: .trained,
                                               seed: seed, metrics: Fixtures.accuracy(fcnGuided[seed]), training: training))
                if steps == 200 {
                    records.append(Fixtures.record(target: Fixtures.cnn, seed: seed, metrics: Fixtures.accuracy(0.5), training: training))
                    records.append(Fixtures.record(target: Fixtures.cnn, guide: Fixtures.rnn, condition: .guided, state: .trained,
                                                   seed: seed, metrics: Fixtures.accuracy([0.52, 0.49, 0.53][seed]), training: training))
                }
            }
        }
        return records
    }

    /// Each heatmap cell of an SVG/HTML document: its classes, target, fill, whether hatched, its interval.
    struct DrawnCell {
        var classes: String
        var target: String
        var fill: String?
        var hatched = false
        var interval: (lower: Double, upper: Double)?
    }

    func cells(_ document: String) throws -> [DrawnCell] {
        let xml = XMLWellFormed(document)
        XCTAssertNil(xml.error)
        var out: [DrawnCell] = []
        for element in xml.elements {
            let cls = element.attributes["class"] ?? ""
            if element.name == "g", cls == "cell" {
                let decided = element.attributes["data-decided"].map { $0 == "true" ? "decided" : "undecided" } ?? "empty"
                out.append(DrawnCell(classes: decided, target: element.attributes["data-target"] ?? ""))
            } else if element.name == "g", cls == "legend" {
                out.append(DrawnCell(classes: "-", target: ""))  // ends the previous cell
            } else if !out.isEmpty, out[out.count - 1].classes != "-" {
                if element.name == "rect", cls == "hatch" { out[out.count - 1].hatched = true }
                if element.name == "rect", cls.isEmpty, out[out.count - 1].fill == nil { out[out.count - 1].fill = element.attributes["fill"] }
                if element.name == "g", cls == "interval" {
                    out[out.count - 1].interval = (Double(element.attributes["data-lower"] ?? "") ?? .nan,
                                                   Double(element.attributes["data-upper"] ?? "") ?? .nan)
                }
            }
        }
        return out.filter { $0.classes != "-" }
    }

    func testOneScaleAcrossTheReportMutedHatchedUndecidedCells() throws {
        let html = HTMLReport(results: SweepResults(records: records())).render()
        let drawn = try cells(html)
        XCTAssertEqual(drawn.count, 3, "\(drawn.map(\.target))")
        let decided = drawn.filter { $0.classes == "decided" }
        let undecided = drawn.filter { $0.classes == "undecided" }
        XCTAssertEqual(decided.count, 2)
        XCTAssertEqual(undecided.map(\.target), ["cnn"])

        // One scale for both tables, up to the +20 pp of the first: +20 pp is the saturated blue end, and +10 pp sits
        // half way (the scale's light-blue stop), not at the end as the second table's own range would put it.
        XCTAssertEqual(Set(decided.map { $0.fill ?? "" }), ["#0571b0", "#92c5de"])
        let own = SVGHeatmap().render(try XCTUnwrap(matrices().last))
        XCTAssertEqual(try cells(own).first { $0.target == "deep-fcn" }?.fill, "#0571b0", "alone, +10 pp is its table's end")

        // The undecided cell: hatched, a faded colour (light, close to grey), its interval across 0 drawn.
        let cnn = try XCTUnwrap(undecided.first)
        XCTAssertTrue(cnn.hatched)
        XCTAssertFalse(decided.contains { $0.hatched })
        let interval = try XCTUnwrap(cnn.interval)
        XCTAssertLessThan(interval.lower, 0)
        XCTAssertGreaterThan(interval.upper, 0)
        let fill = try XCTUnwrap(cnn.fill)
        let rgb = [1, 3, 5].map { Int(fill.dropFirst($0).prefix(2), radix: 16)! }
        XCTAssertLessThanOrEqual(rgb.max()! - rgb.min()!, 16, "muted: nearly grey, \(fill)")
        XCTAssertGreaterThan(rgb.min()!, 200, "muted: light, \(fill)")
        // Decided cells carry their interval too, not crossing 0.
        for cell in decided { XCTAssertGreaterThan(try XCTUnwrap(cell.interval).lower, 0) }
    }

    func matrices() throws -> [GuidabilityMatrix] {
        try MatrixBuilder(index: RecordIndex(records: records())).matrices(for: MatrixQuery())
    }

    func testTerminalMarksDecidedCellsAndSharesTheScale() throws {
        let matrices = try matrices()
        XCTAssertEqual(matrices.count, 2)
        let plain = TableRenderer(width: 100, color: false).render(matrices)
        XCTAssertTrue(plain.contains("+20.0 ±0.0*"), plain)
        XCTAssertTrue(plain.contains("+10.0 ±0.0*"), plain)
        let cnn = try XCTUnwrap(matrices[1].cell(guide: "rnn", target: "cnn"))
        XCTAssertFalse(cnn.isDecided)
        XCTAssertTrue(plain.contains(matrices[1].cellValueText(cnn)))
        XCTAssertFalse(matrices[1].cellValueText(cnn).hasSuffix("*"))
        // In colour, +10 pp is painted with the shared scale's half-way stop (146, 197, 222).
        let coloured = TableRenderer(width: 100, color: true).render(matrices)
        let line = try XCTUnwrap(coloured.split(separator: "\n").first { $0.contains("+10.0 ±0.0*") })
        XCTAssertTrue(line.contains("48;2;146;197;222"), "shared scale: \(line)")
    }

    /// `trains_if` gives each cell and baseline "k of n train".
    func testTrainsIfCountsSeedsThatTrain() throws {
        var manifest = Manifest(name: "t", tasks: [Fixtures.task], targets: [Fixtures.fcn, Fixtures.cnn], guides: [Fixtures.rnn])
        manifest.trainsIf = ["test_accuracy": 0.51]
        let matrices = try MatrixBuilder(index: RecordIndex(records: records(), manifest: manifest)).matrices(for: MatrixQuery())
        let cnn = try XCTUnwrap(matrices[1].cell(guide: "rnn", target: "cnn"))
        XCTAssertEqual(cnn.trains, TrainCount(trained: 2, finished: 3))
        XCTAssertTrue(matrices[1].cellDetailText(cnn).contains("2 of 3 train"))
        XCTAssertEqual(matrices[1].baseline(target: "cnn")?.trains, TrainCount(trained: 0, finished: 3))
        XCTAssertTrue(MarkdownRenderer.render(matrices).contains("2 of 3 train"))
    }
}
