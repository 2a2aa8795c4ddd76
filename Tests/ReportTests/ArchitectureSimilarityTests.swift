import Report
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
}
