import Report
import Store
import XCTest

final class ArchitectureSimilarityTests: XCTestCase {
    func testParsesRowsAndNamesTheBadLine() throws {
        let rows = try ArchitectureSimilarity.parseCSV("guide,target,similarity\ncnn,deep-fcn,0.25\n# note\nrnn, fcn ,1e-1,parity\n", file: "s.csv")
        XCTAssertEqual(rows, [ArchitectureSimilarity(guide: "cnn", target: "deep-fcn", similarity: 0.25),
                              ArchitectureSimilarity(task: "parity", guide: "rnn", target: "fcn", similarity: 0.1)])
        XCTAssertThrowsError(try ArchitectureSimilarity.parseCSV("cnn,fcn,0.2\ncnn,fcn,high\n", file: "s.csv")) {
            XCTAssertEqual($0 as? SimilarityFileError, SimilarityFileError(file: "s.csv", line: 2, text: "cnn,fcn,high"))
        }
    }

    /// Model labels carry commas (`fcn[depth=8,width=64]`): the file must quote them and the reader must read them
    /// back, or the similarity-vs-guidability plot silently comes out empty.
    func testLabelsWithCommasRoundTripThroughTheCSVWriter() throws {
        let values = [ArchitectureSimilarity(task: "mnist1d", guide: "cnn[depth=4,channels=32]", target: "fcn[depth=8,width=64]",
                                             similarity: 0.4375)]
        var text = CSV.line(["guide", "target", "similarity", "task"])
        for v in values { text += CSV.line([v.guide, v.target, String(v.similarity), v.task ?? ""]) }
        XCTAssertEqual(try ArchitectureSimilarity.parseCSV(text, file: "s.csv"), values)
        let pair = SeedPair(seed: 0, treatment: 0.75, reference: 0.5, direction: .higherIsBetter)
        let matrix = GuidabilityMatrix(task: "mnist1d", metric: "test_accuracy", comparison: .guidability(.guided, .untrained),
                                       guides: [values[0].guide], targets: [values[0].target],
                                       cells: [[MatrixCell(pairs: [pair], issues: CellIssues())]])
        XCTAssertEqual(matrix.similarityPoints(try ArchitectureSimilarity.parseCSV(text, file: "s.csv")).count, 1)
    }
}
