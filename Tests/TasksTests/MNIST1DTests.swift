import Foundation
import Tasks
import XCTest

/// Checks the native MNIST-1D generator against the published description (docs/mnist1d.md):
/// shapes and split sizes, exact class balance, global standardization, and that every class's
/// signals carry its own template: a matched filter (max correlation over circular shifts and
/// plausible widths with each template, templates typed in here from the description) recovers
/// the labels far above chance, and for every class its own template scores best on average.
final class MNIST1DTests: XCTestCase {
    static let data = Result { try MNIST1DTask().makeDataset() }

    /// The description's templates, normalized as it says (standardize, start at 0, ÷ 6).
    static let templates: [[Double]] = [
        [5, 6, 6.5, 6.75, 7, 7, 7, 7, 6.75, 6.5, 6, 5], [5, 3, 3, 3.4, 3.8, 4.2, 4.6, 5, 5.4, 5.8, 5, 5],
        [5, 6, 6.5, 6.5, 6, 5.25, 4.75, 4, 3.5, 3.5, 4, 5], [5, 6, 6.5, 6.5, 6, 5, 5, 6, 6.5, 6.5, 6, 5],
        [5, 4.4, 3.8, 3.2, 2.6, 2.6, 5, 5, 5, 5, 5, 5], [5, 3, 3, 3, 3, 5, 6, 6.5, 6.5, 6, 4.5, 5],
        [5, 4, 3.5, 3.25, 3, 3, 3, 3, 3.25, 3.5, 4, 5], [5, 7, 7, 6.6, 6.2, 5.8, 5.4, 5, 4.6, 4.2, 5, 5],
        [5, 4, 3.5, 3.5, 4, 5, 5, 4, 3.5, 3.5, 4, 5], [5, 4, 3.5, 3.5, 4, 5, 5, 5, 5, 4.7, 4.3, 5],
    ].map { t in
        let mean = t.reduce(0, +) / 12
        let std = (t.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 12).squareRoot()
        return t.map { (($0 - mean) - (t[0] - mean)) / std / 6 }
    }

    func testShapesSplitsAndStandardization() throws {
        let data = try Self.data.get()
        XCTAssertEqual(data.inputKind, .signal(channels: 1, length: 40))
        XCTAssertEqual(data.outputKind, .classLogits(classes: 10))
        XCTAssertEqual([data.train.count, data.validation.count, data.test.count], [3600, 400, 1000])
        XCTAssertEqual(data.train.exampleShape, [1, 40])
        let all = [data.train, data.validation, data.test].flatMap { $0.inputs.floats! }.map(Double.init)
        XCTAssertEqual(all.count, 5000 * 40)
        XCTAssertTrue(all.allSatisfy(\.isFinite))
        let mean = all.reduce(0, +) / Double(all.count)
        let std = (all.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(all.count)).squareRoot()
        XCTAssertEqual(mean, 0, accuracy: 1e-4)
        XCTAssertEqual(std, 1, accuracy: 1e-4)
    }

    func testClassBalance() throws {
        let data = try Self.data.get()
        var total = [Int](repeating: 0, count: 10)
        for split in [data.train, data.validation, data.test] {
            let counts = split.classCounts(classes: 10)
            for c in 0..<10 { total[c] += counts[c] }
            // A shuffled split of 500-per-class: each class near 10% (hypergeometric σ ≤ 2.9% at n = 400).
            for c in counts { XCTAssertEqual(Double(c) / Double(split.count), 0.1, accuracy: 0.04, split.name) }
        }
        XCTAssertEqual(total, [Int](repeating: 500, count: 10))
    }

    func testSignalsCarryTheirClassTemplate() throws {
        let test = try Self.data.get().test
        let signals = test.inputs.floats!.map(Double.init)
        let length = 40
        // A template spans 12/(12+p) of the 72-point working signal, p in [36, 60]: 6.7 to 10 of 40 points.
        let widths = [7, 8, 9, 10]
        let resampled = widths.map { w in Self.templates.map { resample($0, to: w) } }
        var correct = 0
        var scoreSums = [[Double]](repeating: [Double](repeating: 0, count: 10), count: 10)
        for n in 0..<test.count {
            let x = Array(signals[n * length..<(n + 1) * length])
            var scores = [Double](repeating: -2, count: 10)
            for (wi, w) in widths.enumerated() {
                for shift in 0..<length {
                    let window = (0..<w).map { x[(shift + $0) % length] }
                    for c in 0..<10 { scores[c] = max(scores[c], correlation(window, resampled[wi][c])) }
                }
            }
            let label = Int(test.targets[n])
            if scores.indices.max(by: { scores[$0] < scores[$1] }) == label { correct += 1 }
            for c in 0..<10 { scoreSums[label][c] += scores[c] }
        }
        let accuracy = Double(correct) / Double(test.count)
        print("MNIST-1D matched-filter accuracy: \(accuracy)")
        XCTAssertGreaterThan(accuracy, 0.4, "chance is 0.1")
        for label in 0..<10 {
            let best = scoreSums[label].indices.max { scoreSums[label][$0] < scoreSums[label][$1] }
            XCTAssertEqual(best, label, "class \(label) mean scores \(scoreSums[label])")
        }
    }

    func testDeterminismAndSeedDependence() throws {
        var small = MNIST1DGenerator()
        small.samples = 200
        let a = small.generate()
        let b = small.generate()
        XCTAssertEqual(a.signals, b.signals)
        XCTAssertEqual(a.labels, b.labels)
        var other = small
        other.seed = 43
        XCTAssertNotEqual(other.generate().signals, a.signals)
    }

    func testValidationIsTheEndOfTheTrainingPortion() throws {
        let full = try TaskRegistry.make("mnist1d", options: ["validation_fraction": .int(0), "samples": .int(500)]).makeDataset()
        let carved = try TaskRegistry.make("mnist1d", options: ["samples": .int(500)]).makeDataset()
        XCTAssertEqual(full.train.count, 400)
        XCTAssertEqual(carved.train.count + carved.validation.count, 400)
        XCTAssertEqual(carved.train, full.train.subset(0..<360, name: "train"))
        XCTAssertEqual(carved.validation, full.train.subset(360..<400, name: "validation"))
        XCTAssertEqual(carved.test, full.test)
    }

    private func resample(_ x: [Double], to n: Int) -> [Double] {
        (0..<n).map { j in
            let p = Double(j) * Double(x.count - 1) / Double(n - 1)
            let i = min(Int(p), x.count - 2)
            return x[i] + (x[i + 1] - x[i]) * (p - Double(i))
        }
    }

    private func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let ma = a.reduce(0, +) / Double(a.count)
        let mb = b.reduce(0, +) / Double(b.count)
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in a.indices {
            sab += (a[i] - ma) * (b[i] - mb)
            saa += (a[i] - ma) * (a[i] - ma)
            sbb += (b[i] - mb) * (b[i] - mb)
        }
        return sab / max((saa * sbb).squareRoot(), 1e-12)
    }
}
