import Foundation
import Report
import Sweep
import XCTest

final class SVGAndHTMLTests: XCTestCase {
    func testHeatmapIsWellFormedAndHasEveryCell() throws {
        for matrix in try Fixtures.builder().matrices(for: MatrixQuery()) {
            let svg = SVGHeatmap().render(matrix)
            let xml = XMLWellFormed(svg)
            XCTAssertNil(xml.error, xml.error ?? "")
            let cells = xml.elements("g", class: "cell")
            XCTAssertEqual(cells.count, matrix.guides.count * matrix.targets.count)
            for (r, guide) in matrix.guides.enumerated() {
                for (c, target) in matrix.targets.enumerated() {
                    XCTAssertTrue(cells.contains { $0["data-guide"] == guide && $0["data-target"] == target })
                    XCTAssertTrue(xml.text.contains(matrix.cellValueText(matrix.cells[r][c])))
                    XCTAssertTrue(xml.text.contains(matrix.cellDetailText(matrix.cells[r][c])))
                }
            }
            XCTAssertTrue(xml.text.contains(matrix.title))
            XCTAssertTrue(xml.text.contains("Student t"))
            XCTAssertEqual(xml.elements("rect", class: "baseline").count, matrix.targets.count)
            XCTAssertEqual(xml.elements("g", class: "legend").count, 1)
        }
    }

    func testNamesThatNeedEscapingStayWellFormed() throws {
        var records = Fixtures.sweep
        for i in records.indices where records[i].spec.guide != nil { records[i].spec.guide?.label = "rnn<&\"'>" }
        let matrix = try XCTUnwrap(try Fixtures.builder(records).matrices(for: MatrixQuery()).first)
        XCTAssertEqual(matrix.guides, ["rnn<&\"'>"])
        let xml = XMLWellFormed(SVGHeatmap().render(matrix))
        XCTAssertNil(xml.error, xml.error ?? "")
        XCTAssertTrue(xml.text.contains("rnn<&\"'>"))
    }

    func demoReport(similarities: [ArchitectureSimilarity] = []) throws -> (SweepResults, String) {
        let results = try SweepResults.load(directory: try demoSweepDirectory())
        return (results, HTMLReport(results: results, similarities: similarities).render())
    }

    func testReportIsWellFormedAndHasEveryMatrixCell() throws {
        let (results, html) = try demoReport()
        let xml = XMLWellFormed(html)
        XCTAssertNil(xml.error, xml.error ?? "")
        let builder = MatrixBuilder(index: RecordIndex(records: results.records, manifest: results.manifest))
        var matrices: [GuidabilityMatrix] = []
        for reference in MatrixQuery.Reference.allCases {
            matrices += try builder.matrices(for: MatrixQuery(reference: reference))
        }
        // 6 guidability matrices (3 conditions × 2 states), 3 trained − untrained, 4 versus full guidance.
        XCTAssertEqual(matrices.count, 13)
        XCTAssertEqual(xml.elements("g", class: "cell").count, matrices.map { $0.guides.count * $0.targets.count }.reduce(0, +))
        for matrix in matrices { XCTAssertTrue(xml.text.contains(matrix.title), matrix.title) }
        for section in ["summary", "task-0", "runs", "consistency", "similarity", "manifest"] {
            XCTAssertTrue(xml.elements.contains { $0.name == "section" && $0.attributes["id"] == section }, section)
        }
        XCTAssertTrue(xml.text.contains("demo-guidability"))
        // Runs: one table row per configuration (3 targets × (baseline + 12 guided arms) + the 2 guides alone), + header
        let runs = try XCTUnwrap(html.range(of: "<section id=\"runs\">").map { html[$0.lowerBound...] })
        let runsTable = runs[..<(runs.range(of: "</table>")?.lowerBound ?? runs.endIndex)]
        XCTAssertEqual(runsTable.components(separatedBy: "<tr>").count - 1, 1 + 3 * 13 + 2)
        XCTAssertTrue(xml.text.contains("worker node3 lost"))  // the failure, with its error
        XCTAssertTrue(xml.text.contains("diverged at step 412"))
        XCTAssertTrue(xml.text.contains("predicted labels"))  // says which κ it is
        XCTAssertTrue(xml.text.contains("No similarity measurements"))
        for external in ["<script", "<link", "src=", "href=\"http", "url(http", "@import"] {
            XCTAssertFalse(html.contains(external), "self-contained: found \(external)")
        }
    }

    func testReportOnAPartialStoreShowsPendingCells() throws {
        let dir = try demoSweepDirectory(limit: 40)
        let html = HTMLReport(results: try SweepResults.load(directory: dir)).render()
        let xml = XMLWellFormed(html)
        XCTAssertNil(xml.error, xml.error ?? "")
        XCTAssertTrue(xml.text.contains("40 of 123 planned"), "the summary says the sweep is incomplete")
    }

    func testSimilarityScatterShowsSpearman() throws {
        let similarities = [
            ArchitectureSimilarity(guide: "cnn", target: "deep-fcn", similarity: 0.2),
            ArchitectureSimilarity(guide: "cnn", target: "wide-fcn", similarity: 0.5),
            ArchitectureSimilarity(guide: "resnet", target: "rnn", similarity: 0.7),
            ArchitectureSimilarity(guide: "resnet", target: "no-such-target", similarity: 0.9),
        ]
        let (_, html) = try demoReport(similarities: similarities)
        let xml = XMLWellFormed(html)
        XCTAssertNil(xml.error, xml.error ?? "")
        XCTAssertTrue(xml.text.contains("Spearman ρ = "))
        XCTAssertTrue(xml.text.contains("(n = 3)"), "pairs without a matrix cell are left out")
        XCTAssertEqual(xml.elements("g", class: "point").count, 3 * 6)  // 3 pairs in each of the 6 guidability matrices
    }
}
